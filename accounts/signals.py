"""Every sign-in, failed sign-in and lock-out goes to the security log (accounts.SecurityEvent)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.models import SecurityEvent
from accounts.services import security_event_record, signin_username


@receiver(user_logged_in, dispatch_uid="accounts.security.signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=signin_username(request, credentials),
    )


@receiver(user_locked_out, dispatch_uid="accounts.security.locked_out")
def locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.LOCKED_OUT, request=request, username=(username or "")[:150]
    )
