"""The ticket page and the actions taken on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from complaints import selectors, services
from complaints.forms import (
    BringInForm,
    CloseForm,
    DecisionForm,
    EscalateForm,
    RecoveryForm,
    ReopenForm,
    ResolveForm,
    StaffFeedbackForm,
    StepForm,
    TicketEditForm,
    TransitionForm,
)
from complaints.models import RecoveryAction, Ticket
from core.errors import refusal_on, refusal_status

# --- The ticket page ------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, ticket: Ticket, **forms) -> dict:
    feedback = selectors.ticket_feedback(ticket=ticket)
    current_feedback = next(
        (f for f in feedback if f.resolution_round == ticket.resolution_round), None
    )
    may = services.ticket_actions(
        ticket=ticket, user=request.user, current_feedback=current_feedback
    )
    version = {"version": ticket.version}
    context = {
        "ticket": ticket,
        "now": timezone.now(),
        "sla_state": ticket.sla_state(timezone.now()),
        "sla_targets": ticket.sla_targets(timezone.now()),
        "timeline": selectors.ticket_timeline(ticket=ticket),
        "actions": selectors.ticket_recovery_actions(ticket=ticket),
        "feedback": feedback,
        "involved": list(ticket.involved_departments.all()),
        "root_causes": list(ticket.root_causes.all()),
        # what this user may do here is decided once, by complaints.services.actions
        "may": may,
        "can_work": may.work,
        "allowed": may.transitions,
        "can_note": may.note,
        "can_step": may.step,
        "can_escalate": may.escalate,
        "can_bring_in": may.bring_in,
        "can_propose": may.propose,
        "can_approve": may.approve,
        "can_feedback": may.record_feedback,
        "can_resend_feedback": may.resend_feedback,
        "feedback_link": services.feedback_url(ticket=ticket) if may.awaiting_feedback else "",
        "feedback_requests": selectors.ticket_feedback_requests(ticket=ticket)
        if may.awaiting_feedback
        else [],
        "transition_form": TransitionForm(initial=version),
        "step_form": forms.get("step_form") or StepForm(note_only=not may.work),
        "resolve_form": forms.get("resolve_form") or ResolveForm(initial=version),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial=version),
        "close_form": forms.get("close_form")
        or CloseForm(
            initial={
                **version,
                "reason": Ticket.CloseReason.FEEDBACK
                if current_feedback
                else Ticket.CloseReason.GUEST_UNREACHABLE,
            }
        ),
        "bring_in_form": forms.get("bring_in_form") or BringInForm(),
        "escalate_form": forms.get("escalate_form") or EscalateForm() if may.work else None,
        "recovery_form": forms.get("recovery_form") or RecoveryForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "decision_action": forms.get("decision_action"),
        "feedback_form": forms.get("feedback_form") or StaffFeedbackForm(),
        "open_panel": forms.get("open_panel", ""),
    }
    return context


def _detail(request: HttpRequest, ticket: Ticket, status: int = 200, **forms) -> HttpResponse:
    context = _detail_context(request, ticket, **forms)
    return render(request, "complaints/ticket_detail.html", context, status=status)


@permission_required("complaints.view_ticket", raise_exception=True)
@require_GET
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.ticket_get_for_user(user=request.user, pk=pk))


@permission_required("complaints.view_ticket", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline alone, for htmx; the full page without it."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(ticket)
    return render(request, "complaints/_timeline_section.html", _detail_context(request, ticket))


def _refused(request: HttpRequest, ticket: Ticket, form, panel: str, **extra) -> HttpResponse:
    """The ticket page again after a refusal: the reason on top, the form as it was typed."""
    for error in form.non_field_errors():
        messages.error(request, error)
    forms = {f"{panel}_form": form, "open_panel": panel, **extra}
    return _detail(request, ticket, status=refusal_status(form), **forms)


@permission_required("complaints.view_ticket", raise_exception=True)
@require_POST
@vary_on_headers("HX-Request")
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a handling step or a note; htmx swaps the timeline, without it the page reloads."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    can_work = request.user.has_perm("complaints.work_ticket")
    form = StepForm(request.POST, note_only=not can_work)
    htmx = bool(request.htmx)
    if form.is_valid():
        with refusal_on(form):
            services.ticket_step_record(
                ticket=ticket,
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
    if form.errors:
        status = refusal_status(form)
        if htmx:
            context = _detail_context(request, ticket, step_form=form)
            return render(request, "complaints/_timeline_section.html", context, status=status)
        return _detail(request, ticket, status=status, step_form=form)
    if htmx:
        return render(
            request, "complaints/_timeline_section.html", _detail_context(request, ticket)
        )
    messages.success(request, _("Added to the timeline."))
    return redirect(ticket)


# Every step of the workflow needs work_ticket (closing, close_ticket too, checked by the
# service): a role that may only see a ticket is refused before its form is even read.
@permission_required("complaints.work_ticket", raise_exception=True)
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Acknowledge, start, resolve, close or reopen."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form_class = {
        "acknowledge": TransitionForm,
        "start": TransitionForm,
        "resolve": ResolveForm,
        "close": CloseForm,
        "reopen": ReopenForm,
    }.get(action)
    if form_class is None:
        return HttpResponse(status=404)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the form below."))
        return _detail(
            request, ticket, status=422, **{f"{action}_form": form, "open_panel": action}
        )
    data = form.cleaned_data
    version = data.get("version")
    try:
        with refusal_on(form, except_for=services.ConflictError):
            done = _transition_do(request, ticket, action, data, version)
    except services.ConflictError as exc:
        # Keep what they typed, over the version they now see: sending it again applies it.
        messages.error(request, str(exc))
        fresh = selectors.ticket_get_for_user(user=request.user, pk=pk)
        submitted = request.POST.copy()
        submitted["version"] = str(fresh.version)
        form = form_class(submitted)
        form.is_valid()
        return _detail(request, fresh, status=409, **{f"{action}_form": form, "open_panel": action})
    if form.errors:
        return _refused(request, ticket, form, action)
    messages.success(request, done)
    return redirect(ticket)


def _transition_do(request: HttpRequest, ticket: Ticket, action: str, data: dict, version) -> str:
    """Take the step; the message to show when it is done."""
    if action == "acknowledge":
        services.ticket_acknowledge(ticket=ticket, by=request.user, version=version)
        return _("Ticket acknowledged.")
    if action == "start":
        services.ticket_start(ticket=ticket, by=request.user, version=version)
        return _("Work on the ticket has started.")
    if action == "resolve":
        services.ticket_resolve(ticket=ticket, by=request.user, note=data["note"], version=version)
        return _("Ticket resolved. Ask the guest how satisfied they are.")
    if action == "close":
        services.ticket_close(
            ticket=ticket,
            by=request.user,
            reason=data["reason"],
            note=data["note"],
            version=version,
        )
        return _("Ticket closed.")
    services.ticket_reopen(ticket=ticket, by=request.user, reason=data["reason"], version=version)
    return _("Ticket reopened.")


@permission_required("complaints.work_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Details, classification and owner; a stale form gets a conflict, not an overwrite."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    assignable = selectors.users_with_permission("work_ticket")
    if request.method == "GET":
        form = TicketEditForm(instance=ticket, assignable=assignable)
        return render(request, "complaints/ticket_edit.html", {"form": form, "ticket": ticket})
    form = TicketEditForm(request.POST, instance=ticket, assignable=assignable)
    if not form.is_valid():
        context = {"form": form, "ticket": ticket}
        return render(request, "complaints/ticket_edit.html", context, status=422)
    try:
        with refusal_on(form, except_for=services.ConflictError):
            services.ticket_update(
                ticket=ticket,
                by=request.user,
                version=form.cleaned_data["version"],
                changes=form.changes(),
            )
    except services.ConflictError as exc:
        # Keep what they typed; the next save applies it over the version they have now seen.
        current = selectors.ticket_get_for_user(user=request.user, pk=pk)
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = TicketEditForm(data, instance=current, assignable=assignable)
        form.is_valid()
        messages.error(request, str(exc))
        context = {
            "form": form,
            "ticket": current,
            "conflict": True,
            "current_root_causes": list(current.root_causes.all()),
        }
        return render(request, "complaints/ticket_edit.html", context, status=409)
    if form.errors:
        context = {"form": form, "ticket": ticket}
        return render(request, "complaints/ticket_edit.html", context, status=refusal_status(form))
    messages.success(request, _("Ticket saved."))
    return redirect(ticket)


@permission_required("complaints.work_ticket", raise_exception=True)
@require_POST
def bring_in(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = BringInForm(request.POST)
    if not form.is_valid():
        return _detail(request, ticket, status=422, bring_in_form=form, open_panel="bring_in")
    with refusal_on(form):
        services.ticket_department_bring_in(
            ticket=ticket,
            by=request.user,
            department=form.cleaned_data["department"],
            text=form.cleaned_data["text"],
        )
    if form.errors:
        return _refused(request, ticket, form, "bring_in")
    messages.success(
        request,
        _("%(department)s brought in.")
        % {"department": form.cleaned_data["department"].display_name},
    )
    return redirect(ticket)


@permission_required("complaints.work_ticket", raise_exception=True)
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        return _detail(request, ticket, status=422, escalate_form=form, open_panel="escalate")
    with refusal_on(form):
        services.ticket_escalate(
            ticket=ticket,
            by=request.user,
            reason=form.cleaned_data["reason"],
            to=form.cleaned_data["to"],
        )
    if form.errors:
        return _refused(request, ticket, form, "escalate")
    messages.success(request, _("Escalated to the duty managers."))
    return redirect(ticket)


@permission_required("complaints.add_recoveryaction", raise_exception=True)
@require_POST
def recovery(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        return _detail(request, ticket, status=422, recovery_form=form, open_panel="recovery")
    data = form.cleaned_data
    with refusal_on(form):
        action = services.recovery_propose(
            ticket=ticket,
            by=request.user,
            kind=data["kind"],
            value=data["value"] or 0,
            currency=data["currency"],
            points=data["points"] or 0,
            description=data["description"],
        )
    if form.errors:
        return _detail(
            request, ticket, status=refusal_status(form), recovery_form=form, open_panel="recovery"
        )
    if action.status == RecoveryAction.Status.PENDING:
        messages.info(
            request, _("This is above your authority, so a manager has been asked to approve it.")
        )
    else:
        messages.success(request, _("Recovery action granted."))
    return redirect(ticket)


@permission_required("complaints.approve_recoveryaction", raise_exception=True)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager approves or rejects a recovery action waiting for approval."""
    action = get_object_or_404(RecoveryAction, pk=pk)
    ticket = selectors.ticket_get_for_user(user=request.user, pk=action.ticket_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        # The comment box of this request shows again with what was typed in it.
        return _detail(request, ticket, status=422, decision_form=form, decision_action=action.pk)
    with refusal_on(form):
        if form.cleaned_data["decision"] == "approve":
            services.recovery_approve(
                action=action, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Approved; the recovery action has taken effect."))
        else:
            services.recovery_reject(
                action=action, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Request rejected."))
    if form.errors:
        return _refused(request, ticket, form, "decision", decision_action=action.pk)
    return redirect(ticket)


@permission_required("complaints.add_resolutionfeedback", raise_exception=True)
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the guest's satisfaction with the resolution."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    form = StaffFeedbackForm(request.POST)
    if not form.is_valid():
        return _detail(request, ticket, status=422, feedback_form=form, open_panel="feedback")
    with refusal_on(form):
        result = services.feedback_record(
            ticket=ticket,
            by=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    if form.errors:
        return _refused(request, ticket, form, "feedback")
    if result.is_unhappy:
        messages.warning(request, _("Feedback recorded. The guest is not satisfied: reopened."))
    else:
        messages.success(request, _("Feedback recorded."))
    return redirect(ticket)


@permission_required("complaints.work_ticket", raise_exception=True)
@require_POST
def feedback_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the guest their feedback link again, on their preferred channel."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    try:
        result = services.feedback_request_resend(ticket=ticket, by=request.user)
    except services.ComplaintError as exc:
        # e.g. the feedback is no longer awaited: the ticket page again, with the reason on top
        messages.error(request, str(exc))
        return _detail(request, ticket, status=exc.status)
    notices = {
        "sent": (messages.success, _("The feedback link is on its way to the guest.")),
        "task": (messages.success, _("A follow-up task asks for the guest's feedback in person.")),
        "no_consent": (
            messages.warning,
            _("The guest has not agreed to be contacted, so nothing was sent."),
        ),
        "no_address": (
            messages.warning,
            _("There is no address for the guest's preferred channel, so nothing was sent."),
        ),
    }
    notify, text = notices.get(
        result, (messages.info, _("Nothing was sent: the feedback is no longer awaited."))
    )
    notify(request, text)
    return redirect(ticket)
