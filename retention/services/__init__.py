"""What retention does: value every guest nightly (valuation), notice who stopped coming and
follow the win-back (radar), hand guests out fairly (distribution), and suggest what to offer
(suggestions)."""
