from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import next_url
from notifications.forms import NotificationFilterForm
from notifications.models import Notification
from notifications.services import (
    notification_recipient_label,
    notification_retry,
    notification_search,
)


@permission_required("notifications.view_notification", raise_exception=True)
def notification_list(request: HttpRequest) -> HttpResponse:
    form = NotificationFilterForm.from_request(request)
    filters = form.values
    notifications = notification_search(
        status=filters.get("status") or "",
        kind=filters.get("kind") or "",
        query=(filters.get("q") or "").strip(),
    )
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    for notification in page:
        notification.recipient_label = notification_recipient_label(notification)
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "form": form},
        status=form.status,
    )


@permission_required("notifications.change_notification", raise_exception=True)
@require_POST
def notification_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk)
    if notification_retry(notification=notification):
        messages.success(request, _("The message will be sent again."))
    else:
        messages.error(request, _("Only failed or stuck messages can be retried."))
    return redirect(next_url(request, "notifications"))
