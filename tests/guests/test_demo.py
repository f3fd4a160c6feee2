import random

import pytest
from django.utils import timezone

from guests import demo
from guests.models import Company, Guest, GuestPhone, PreferenceCategory, Stay


class Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


@pytest.mark.django_db
def test_the_demo_makes_realistic_guests_and_running_it_again_adds_nothing():
    options = {"guests": 120, "rng": random.Random(7)}
    demo.seed(options, Out())
    counts = (Guest.objects.count(), Stay.objects.count(), Company.objects.count())
    assert counts[0] == 120 and counts[1] > 120

    demo.seed({"guests": 120, "rng": random.Random(8)}, Out())
    assert (Guest.objects.count(), Stay.objects.count(), Company.objects.count()) == counts

    today = timezone.localdate()
    assert Stay.objects.filter(arrival__lte=today, departure__gt=today).count() >= 3
    assert Guest.objects.filter(name_order="family_first", salutation__regex="(生|女士|小姐|总)$")
    assert Guest.objects.filter(salutation__startswith="Mr. ").exists()
    assert Company.objects.filter(charge_privilege="paused").count() == 2
    assert PreferenceCategory.objects.filter(name__in=["Pillow", "Newspaper", "Diet"]).count() == 3
    assert Stay.objects.filter(arrival__lt=today.replace(year=today.year - 1)).exists()
    phone = GuestPhone.objects.first()
    assert phone.digits_reversed == "".join(c for c in phone.number if c.isdigit())[::-1]
    assert all(g.search_text and g.name_grams for g in Guest.objects.all())


@pytest.mark.django_db
def test_asking_for_more_demo_guests_adds_only_the_difference():
    demo.seed({"guests": 30, "rng": random.Random(1)}, Out())
    demo.seed({"guests": 50, "rng": random.Random(1)}, Out())
    assert Guest.objects.count() == 50
    assert Stay.objects.values("pms_reference").distinct().count() == Stay.objects.count()
