from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import next_url, search_text
from notifications.models import Notification
from notifications.services import (
    notification_recipient_label,
    notification_retry,
    notifications_with_audience,
)


@permission_required("notifications.view_notification", raise_exception=True)
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notifications_with_audience()
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    query = search_text(request.GET, "q")
    if status == "stuck":
        notifications = notifications.stuck()
    elif status in Notification.Status.values:
        notifications = notifications.filter(status=status)
    if kind in Notification.Kind.values:
        notifications = notifications.filter(kind=kind)
    if query:
        notifications = notifications.filter(Q(to__icontains=query) | Q(key__icontains=query))
    page = Paginator(notifications.order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.recipient_label = notification_recipient_label(notification)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "statuses": Notification.Status.choices,
            "kinds": Notification.Kind.choices,
            "filters": {"status": status, "kind": kind, "q": query},
        },
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
