from django import template
from django.utils.translation import gettext as _

register = template.Library()

SEVERITY_CLASSES = {
    4: "text-bg-danger",
    3: "text-bg-warning",
    2: "text-bg-info",
    1: "text-bg-light",
}
STATUS_CLASSES = {
    "new": "text-bg-primary",
    "acknowledged": "text-bg-info",
    "in_progress": "text-bg-warning",
    "resolved": "text-bg-success",
    "closed": "text-bg-secondary",
    "reopened": "text-bg-danger",
}


@register.filter
def sla_state(ticket, now) -> str:
    return ticket.sla_state(now)


@register.filter
def severity_class(severity) -> str:
    return SEVERITY_CLASSES.get(int(severity or 0), "text-bg-light")


@register.filter
def status_class(status) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.simple_tag
def sla_label(state: str) -> str:
    return {"overdue": _("Overdue"), "due_soon": _("Due soon")}.get(state, "")
