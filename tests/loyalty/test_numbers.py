import pytest

from loyalty.numbers import (
    luhn_check_digit,
    luhn_valid,
    member_number_normalise,
    member_numbers_next,
)


def test_the_check_digit_is_the_luhn_digit():
    assert luhn_check_digit("7992739871") == "3"  # the textbook example 79927398713
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def test_a_typed_number_is_accepted_with_spaces_or_dashes():
    number = "880000001" + luhn_check_digit("880000001")
    assert member_number_normalise(f"{number[:4]} {number[4:8]} {number[8:]}") == number
    assert member_number_normalise(f"{number[:4]}-{number[4:8]}-{number[8:]}") == number


def test_a_mistyped_digit_or_swapped_neighbours_are_refused():
    number = "880000123" + luhn_check_digit("880000123")
    wrong_digit = number[:3] + str((int(number[3]) + 1) % 10) + number[4:]
    swapped = number[:5] + number[6] + number[5] + number[7:]
    assert member_number_normalise(wrong_digit) is None
    assert swapped == number or member_number_normalise(swapped) is None
    assert member_number_normalise("12345") is None
    assert member_number_normalise("Chen") is None


@pytest.mark.django_db
def test_numbers_come_from_the_sequence_and_carry_a_valid_check_digit():
    numbers = member_numbers_next(count=3)
    assert len(set(numbers)) == 3
    assert all(len(n) == 10 and luhn_valid(n) for n in numbers)
    assert int(numbers[1][:-1]) == int(numbers[0][:-1]) + 1
