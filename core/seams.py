"""Every place one app plugs into another, declared here and nowhere else.

The apps are layered: the kernel (core, accounts, notifications) knows no feature app; guests
builds on the kernel; complaints and loyalty build on guests. When a lower app must show or do
something a higher one knows (the guest card shows open complaints, a birthday grants loyalty
points), the lower app consumes a seam declared here and the higher app registers into it from
its AppConfig.ready():

    from core import seams
    seams.card_panels.register("loyalty", seams.CardPanel("loyalty", template=..., context=...))

One style for every seam: `register(key, item)` (a key registered twice is replaced, so
ready() running again is harmless), `unregister(key)`, `get(key)`, `all()` (ordered by the
item's `order`, then by key). tests/conftest.py snapshots every seam before a test and
restores it after, so what a test registers never leaks into the next one.

README.md, "How the apps fit together", lists each seam with who provides and who consumes.
A seam for a part not built yet is declared here, empty, with its contract: the issue that
builds the part registers into it; nothing fakes it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from core.errors import GrcError

T = TypeVar("T")


class Seam(Generic[T]):
    """A named registry of what other apps plug in at one place."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> None:
        self._items[key] = item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def all(self) -> list[T]:
        ordered = sorted(self._items.items(), key=lambda kv: (getattr(kv[1], "order", 100), kv[0]))
        return [item for _key, item in ordered]

    def __bool__(self) -> bool:
        return bool(self._items)

    def snapshot(self) -> dict[str, T]:
        return dict(self._items)

    def restore(self, saved: dict[str, T]) -> None:
        self._items = dict(saved)

    def __repr__(self) -> str:
        return f"<Seam {self.name}: {sorted(self._items)}>"


class SeamRefusal(GrcError):
    """A provider refuses what it was asked to do; the message is for the user.

    The consumer turns it into its own error (a complaint's recovery action is not granted),
    so a provider never needs the consumer's exception classes.
    """


# --- guests consume ------------------------------------------------------------------------


@dataclass(frozen=True)
class CardPanel:
    """A section of the guest card supplied by another app (registered under its key)."""

    key: str
    template: str
    # (*, guest, user) -> template context, or None to leave the panel out for this user.
    # Must run a constant number of queries, whatever the guest's history.
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class LookupProvider:
    """Adds to the front-desk lookup: more ways to find a guest, more to show per result."""

    key: str
    # (query) -> ids of guests an exact code finds (e.g. a member number); None: no such code
    match: Callable[[str], Iterable[int]] | None = None
    # (guest ids) -> {guest id: [display strings]}: badges on each result row, translated and
    # formatted for the user's language; one query for all rows
    annotate: Callable[[Sequence[int]], dict[int, Sequence[str]]] | None = None
    order: int = 100


card_panels: Seam[CardPanel] = Seam(
    "card_panels",
    """Sections of the guest card. Provided by complaints (open tickets, last outcome) and
    loyalty (tier, balance); consumed by guests.selectors.guest_card_panels.""",
)
lookup_providers: Seam[LookupProvider] = Seam(
    "lookup_providers",
    """More ways to find a guest at the desk, and badges per result. Provided by loyalty
    (member number, tier badge); consumed by guests.selectors.guest_lookup.""",
)


@dataclass(frozen=True)
class CompanyPanel:
    """A section of the company page supplied by another app (registered under its key)."""

    key: str
    template: str
    # (*, company, user) -> template context, or None to leave the panel out for this user;
    # a constant number of queries
    context: Callable[..., dict | None]
    order: int = 100


company_panels: Seam[CompanyPanel] = Seam(
    "company_panels",
    """Sections of the company page. Provided by retention (the account's value and whether it
    has gone quiet); consumed by guests.views.company_detail.""",
)
# (stay id) -> None; runs after the stay's transaction commits; must be safe to run twice
StayHook = Callable[[int], None]
stay_hooks: Seam[StayHook] = Seam(
    "stay_hooks",
    """Told, after commit, that a stay was recorded or changed. Provided by loyalty (points for
    a stay that has ended); consumed by guests.services (stay create/update).""",
)
# (guest ids, day) -> None; once per chunk of guests born on `day`; must be safe to run twice
BirthdayHook = Callable[[list[int], date], None]
birthday_hooks: Seam[BirthdayHook] = Seam(
    "birthday_hooks",
    """Run by the daily greetings job for every chunk of guests born today (consent or not).
    Provided by loyalty (birthday bonus points); consumed by guests.greetings.""",
)
# (stay) -> the URL of a satisfaction survey for that stay, or None
SurveyLinkProvider = Callable[[Any], str | None]
survey_links: Seam[SurveyLinkProvider] = Seam(
    "survey_links",
    """The survey link put in the thank-you after a stay; the first provider that answers wins.
    Provided by the surveys app (not built yet: the surveys issue registers it); consumed by
    guests.followups.post_stay_followups.""",
)

# (task) -> the URL of the page where a follow-up task of this kind is worked, or None
CareTaskPage = Callable[[Any], str | None]
care_task_pages: Seam[CareTaskPage] = Seam(
    "care_task_pages",
    """A follow-up task kind (the key) whose work has its own page: the to-do list's task page
    sends there. Provided by retention ("win_back": reasons and outcome); consumed by
    guests.care_views.caretask_detail.""",
)

# --- retention consumes ------------------------------------------------------------------------

# (guest ids) -> {guest id: {fact: value}}: one query per batch of guests
GuestFacts = Callable[[Sequence[int]], dict[int, dict[str, Any]]]
guest_facts: Seam[GuestFacts] = Seam(
    "guest_facts",
    """What other apps know of guests that the churn radar puts in a win-back task's reasons:
    "last_survey_score" (1-5). Provided by the surveys app; consumed by
    retention.services.radar.""",
)

# --- complaints consume --------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryGrant:
    """A recovery action taking effect, as the provider of its effect sees it."""

    action_id: int
    kind: str
    ticket_id: int
    ticket_number: str
    guest_id: int | None
    points: int | None


# (grant, *, by) -> None; runs inside the transaction that grants the action; raise
# SeamRefusal to refuse (then nothing is granted)
RecoveryEffect = Callable[..., Any]
recovery_effects: Seam[RecoveryEffect] = Seam(
    "recovery_effects",
    """What happens when a recovery action of a kind (the key) takes effect. Provided by loyalty
    ("loyalty_points": a compensation line); consumed by complaints.services.recovery. A kind
    with no effect takes effect by being recorded on the ticket.""",
)

# --- the kernel's outbox consumes ----------------------------------------------------------


@dataclass(frozen=True)
class NotificationAudience:
    """What an app that sends messages to its people knows about who a message is to."""

    # (queryset of notifications) -> the same, joined with what `label` and `guard` read, so
    # the outbox page and each send keep to one query
    related: Callable[[Any], Any]
    # (notification) -> the name to show on the outbox page, or None if not one of ours
    label: Callable[[Any], str | None]
    # (notification) -> a reason not to send it now ("guest erased"), or "" to let it go
    guard: Callable[[Any], str]
    order: int = 100


notification_audiences: Seam[NotificationAudience] = Seam(
    "notification_audiences",
    """Who a message in the outbox is to, and whether it may still go. Provided by guests (the
    guest's name; erased guests and withdrawn consent cancel at send time); consumed by
    notifications.services.notification_send and notifications.views.notification_list.""",
)

# --- declared for the parts the next issues build ------------------------------------------

# (*, kept_guest_id, merged_guest_id, by) -> None; inside the merge's transaction, with both
# guest rows locked. Move every row of yours that points at merged_guest_id (or refuse with
# SeamRefusal): the merge counts every table pointing at a guest afterwards and refuses to
# delete the absorbed profile while any row still points at it.
GuestMergeHook = Callable[..., None]
guest_merge_hooks: Seam[GuestMergeHook] = Seam(
    "guest_merge_hooks",
    """Move an app's rows from a duplicate guest to the one kept. Consumed by
    guests.merge.guest_merge; provided by guests (stays, phones, documents, family, special
    dates, preferences, follow-up tasks, messages, access records, the change log), complaints
    (tickets) and loyalty (the account: two are combined through the ledger).""",
)
# Called as contributor(guest) -> {section title: rows}: what an app holds about a guest, for a
# subject access export. Titles and row keys translated (the reader's language); a row is a
# dict of label -> value (a value may itself be a list of such rows: a ticket's timeline).
PrivacyExportContributor = Callable[..., dict]
privacy_export_contributors: Seam[PrivacyExportContributor] = Seam(
    "privacy_export_contributors",
    """Each app's part of a guest's data export. Consumed by guests.privacy.privacy_export
    (page and JSON download); provided by complaints (tickets and their timeline), loyalty
    (account and statement) and the surveys app (answers) once built.""",
)
# (*, guest_id, by) -> None; inside the erasure's transaction
PrivacyEraseContributor = Callable[..., None]
privacy_erase_contributors: Seam[PrivacyEraseContributor] = Seam(
    "privacy_erase_contributors",
    """Each app's part of erasing a guest (blank free text, drop contact copies), keeping what
    statistics count. Consumed by guests.privacy.guest_erase; provided by complaints (the name
    copied onto tickets) and every app holding personal data.""",
)


@dataclass(frozen=True)
class Block:
    """A block on a page another app owns: a template and its context (None hides it)."""

    template: str
    # (*, user) -> template context, or None to leave the block out for this user; a constant
    # number of queries
    context: Callable[..., dict | None]
    order: int = 100


dashboard_blocks: Seam[Block] = Seam(
    "dashboard_blocks",
    """Blocks on the managers' dashboard. Will be consumed by the dashboards issue; provided by
    complaints, loyalty, guests (and surveys and the churn radar once built).""",
)
home_blocks: Seam[Block] = Seam(
    "home_blocks",
    """Blocks on the home page (grc.views.home), each shown to the roles it serves: guests
    (today's arrivals, VIPs in the house), complaints (in-house guests with an open complaint,
    an officer's tickets due soon and overdue, managers' figures and approvals waiting).""",
)


@dataclass(frozen=True)
class WebhookEvent:
    """An event outside systems can subscribe to: its name and what its payload holds."""

    label: str
    description: str
    order: int = 100


webhook_events: Seam[WebhookEvent] = Seam(
    "webhook_events",
    """The events the webhook/API issue will deliver (key: "complaint.created" …). Provided by
    the app where the event happens; consumed by the webhook delivery once built.""",
)


def all_seams() -> list[Seam]:
    """Every seam declared above (the test fixture snapshots and restores them all)."""
    return [value for value in globals().values() if isinstance(value, Seam)]
