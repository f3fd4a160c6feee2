"""Every page fits the screen: tablet, laptops and phone, both languages, every demo role.

Issue 15, points 1 and 9. One browser; each role signs in once; each page is loaded once per
language and measured at every size by resizing the viewport (the layout reflows, no reload).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_USERS
from grc.navigation import navigation_for

SIZES = [(1024, 768), (1280, 800), (1440, 900), (390, 844)]
LANGUAGES = ["en", "zh-hans"]

# The widest element that sticks out of the page, to say what overflowed when it fails.
WIDEST = """() => {
  const w = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 1 && (!worst || r.right > worst.right)) {
      worst = {right: Math.round(r.right), tag: el.tagName,
               cls: el.className.toString().slice(0, 60),
               text: (el.innerText || '').trim().slice(0, 40)};
    }
  }
  return worst;
}"""

# Controls whose accessible name does not contain their visible text (WCAG 2.5.3).
NAME_MISMATCHES = """() => {
  const bad = [];
  const norm = s => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
  for (const el of document.querySelectorAll('a[href], button, [role=button], summary')) {
    const label = el.getAttribute('aria-label');
    if (!label) continue;
    const text = norm(el.innerText);
    if (text && !norm(label).includes(text)) bad.push({label, text});
  }
  return bad;
}"""


def _pages_for(user) -> list[str]:
    from django.urls import reverse

    urls = [item.url for item in navigation_for(user) if item.url]
    if user.has_perm("complaints.add_ticket"):
        urls.append(reverse("complaints:log"))
    return urls


@pytest.fixture
def demo_hotel(transactional_db):
    call_command("seed_demo", "--guests", "30", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from accounts.models import User

    return {u.username: (User.objects.get(username=u.username), u.password) for u in DEMO_USERS}


@pytest.mark.django_db(transaction=True)
def test_no_page_is_wider_than_the_screen_for_any_role_language_or_size(
    browser, live_server, demo_hotel
):
    too_wide: list[tuple] = []
    mismatched: list[tuple] = []
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    for username, (user, password) in demo_hotel.items():
        context.clear_cookies()
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        for language in LANGUAGES:
            type(user).objects.filter(pk=user.pk).update(language=language)
            for url in _pages_for(user):
                page.set_viewport_size({"width": 1440, "height": 900})
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language
                for bad in page.evaluate(NAME_MISMATCHES):
                    mismatched.append((username, language, url, bad))
                for width, height in SIZES:
                    page.set_viewport_size({"width": width, "height": height})
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    # the guest search is always in the bar (Django's admin has its own)
                    if user.has_perm("guests.view_guest") and not url.startswith("/admin/"):
                        assert page.locator("#guest-lookup-q").is_visible(), (username, url, width)
                    if scroll > width:
                        worst = page.evaluate(WIDEST)
                        too_wide.append((username, language, url, width, scroll, worst))
    context.close()
    assert not too_wide, "\n".join(map(str, too_wide))
    assert not mismatched, "\n".join(map(str, mismatched))


CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lin = x => (x /= 255) <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  const lum = c => {
    const v = rgb(c).map(lin);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const bg = getComputedStyle(document.querySelector('nav.navbar')).backgroundColor;
  const out = [];
  const bar = 'nav.navbar .nav-link, nav.navbar .navbar-brand, nav.navbar .navbar-toggler';
  for (const el of document.querySelectorAll(bar)) {
    if (!el.offsetParent) continue;
    // a translucent colour is what it shows over the bar
    const [fg, back] = [getComputedStyle(el).color.match(/[\\d.]+/g).map(Number), rgb(bg)];
    const alpha = fg.length > 3 ? fg[3] : 1;
    const shown = back.map((c, i) => Math.round(alpha * fg[i] + (1 - alpha) * c));
    const [a, b] = [lum(`rgb(${shown.join(',')})`), lum(bg)];
    out.push({text: el.innerText.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
  }
  return out;
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_top_bar_folds_into_a_readable_menu_on_a_tablet(
    browser, live_server, front_desk, scheme
):
    from tests.factories import PASSWORD

    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 1024, "height": 768},
        color_scheme=scheme,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(front_desk.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.get_by_role("button", name="Menu").click()
    language = page.get_by_role("button", name="Language: English")
    expect(language).to_be_visible()
    page.get_by_role("button", name=str(front_desk)).click()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_in_viewport()
    # AA contrast (4.5:1) for every text of the bar, in the light and the dark theme
    ratios = page.evaluate(CONTRAST)
    assert ratios and all(r["ratio"] >= 4.5 for r in ratios), ratios
    # a visible focus ring: the focused control draws an outline
    language.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # reached from the keyboard, as :focus-visible wants
    expect(language).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    context.close()
