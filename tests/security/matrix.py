"""The role × URL table: what each role (and anonymous) may do at every URL pattern.

Each row names a URL pattern, how to fill it with real ids from the data set (world.py), and
which roles may reach it with GET and with POST. `None` for a method means the view does not
take it (405 for those allowed in, 403/405 for the others). Every role not listed must be
refused (403 or 404); anonymous visitors are sent to sign in unless the row is PUBLIC.

A URL pattern that has no row here fails tests/security/test_role_url_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

D, O, H, AM, M, ADM = "desk", "officer", "head", "account_manager", "manager", "admin"  # noqa: E741
STAFF = frozenset({D, O, H, AM, M, ADM})
MANAGERS = frozenset({M, ADM})
NONE: frozenset[str] = frozenset()


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


@dataclass(frozen=True)
class Row:
    path: Callable[[dict], str]
    get: frozenset[str] | None
    post: frozenset[str] | None
    public: bool = False  # anonymous visitors are let in (no sign-in redirect)
    signs_out: bool = False  # the allowed answer is the way back to the sign-in page


def p(template: str) -> Callable[[dict], str]:
    return lambda ids: template.format(**ids)


GUEST_ADD = roles(D, O, AM, M, ADM)
GUEST_CONTACT = roles(O, AM, M, ADM)
COMPANY_EDIT = roles(AM, M, ADM)
TICKET_VIEW = roles(D, O, H, M, ADM)
TICKET_WORK = roles(O, H, M, ADM)
MEMBER_VIEW = roles(D, O, AM, M, ADM)
REDEEM = roles(D, O, M, ADM)
FOLLOW_UPS = roles(O, AM, M, ADM)
NOTIFY = roles(O, M, ADM)
DEPARTMENTS = roles(O, H, AM, M, ADM)
VALUE_VIEW = roles(O, AM, M, ADM)
SURVEY_CARE = roles(O, AM, M, ADM)
SURVEY_READ = roles(O, H, AM, M, ADM)

TABLE: dict[str, Row] = {
    # the shell
    "home": Row(p("/"), STAFF, STAFF),
    "healthz": Row(p("/healthz"), STAFF, None, public=True),
    "language_set": Row(p("/language/"), None, STAFF, public=True),
    "login": Row(p("/accounts/login/"), STAFF, STAFF, public=True),
    "logout": Row(p("/accounts/logout/"), None, STAFF, signs_out=True),
    "password_change": Row(p("/accounts/password/"), STAFF, STAFF),
    "password_change_done": Row(p("/accounts/password/done/"), STAFF, None),
    # staff and departments
    "departments": Row(p("/departments/"), DEPARTMENTS, DEPARTMENTS),
    "department_create": Row(p("/departments/new/"), MANAGERS, MANAGERS),
    "department_edit": Row(p("/departments/{department}/"), MANAGERS, MANAGERS),
    "security_log": Row(p("/security/"), MANAGERS, MANAGERS),
    # the outbox
    "notifications": Row(p("/notifications/"), NOTIFY, NOTIFY),
    "notification_retry": Row(p("/notifications/{notification}/retry/"), None, NOTIFY),
    # follow-up tasks (the world's task is the account manager's own)
    "caretasks": Row(p("/follow-ups/"), FOLLOW_UPS, FOLLOW_UPS),
    "caretask_detail": Row(p("/follow-ups/{task}/"), FOLLOW_UPS, FOLLOW_UPS),
    # guests
    "guests:list": Row(p("/guests/"), STAFF, STAFF),
    "guests:search": Row(p("/guests/search/?q=chen"), STAFF, STAFF),
    "guests:create": Row(p("/guests/new/"), GUEST_ADD, GUEST_ADD),
    "guests:detail": Row(p("/guests/{guest}/"), STAFF, STAFF),
    "guests:edit": Row(p("/guests/{guest}/edit/"), GUEST_CONTACT, GUEST_CONTACT),
    "guests:stays": Row(p("/guests/{guest}/stays/"), STAFF, STAFF),
    "guests:stay_create": Row(p("/guests/{guest}/stays/new/"), GUEST_ADD, GUEST_ADD),
    "guests:stay_edit": Row(p("/guests/stays/{stay}/edit/"), GUEST_ADD, GUEST_ADD),
    "guests:companies": Row(p("/guests/companies/"), GUEST_CONTACT, GUEST_CONTACT),
    "guests:company_create": Row(p("/guests/companies/new/"), COMPANY_EDIT, COMPANY_EDIT),
    "guests:company": Row(p("/guests/companies/{company}/"), GUEST_CONTACT, GUEST_CONTACT),
    "guests:company_edit": Row(p("/guests/companies/{company}/edit/"), COMPANY_EDIT, COMPANY_EDIT),
    "guests:company_pause": Row(p("/guests/companies/{company}/pause/"), None, MANAGERS),
    "guests:company_resume": Row(p("/guests/companies/{company}/resume/"), None, MANAGERS),
    "guests:access_log": Row(p("/guests/access-log/"), MANAGERS, MANAGERS),
    "guests:duplicates": Row(p("/guests/duplicates/"), GUEST_CONTACT, GUEST_CONTACT),
    "guests:duplicates_refresh": Row(p("/guests/duplicates/refresh/"), None, GUEST_CONTACT),
    "guests:duplicate_dismiss": Row(
        p("/guests/{guest}/duplicates/{other_guest}/dismiss/"), None, GUEST_CONTACT
    ),
    "guests:merge": Row(p("/guests/{guest}/merge/{other_guest}/"), GUEST_CONTACT, GUEST_CONTACT),
    "guests:privacy_export": Row(p("/guests/{guest}/privacy/"), MANAGERS, None),
    "guests:privacy_erase": Row(p("/guests/{guest}/privacy/erase/"), MANAGERS, MANAGERS),
    # complaints (the world's ticket is in the head's department, logged by the desk)
    "complaints:queue": Row(p("/complaints/"), TICKET_VIEW, None),
    "complaints:export": Row(p("/complaints/export.csv"), TICKET_WORK, None),
    "complaints:log": Row(p("/complaints/new/"), TICKET_VIEW, TICKET_VIEW),
    "complaints:guest_search": Row(
        p("/complaints/new/guests/?guest_query=chen"), TICKET_VIEW, None
    ),
    "complaints:ticket": Row(p("/complaints/{ticket}/"), TICKET_VIEW, None),
    "complaints:timeline": Row(p("/complaints/{ticket}/timeline/"), TICKET_VIEW, None),
    "complaints:edit": Row(p("/complaints/{ticket}/edit/"), TICKET_WORK, TICKET_WORK),
    "complaints:step": Row(p("/complaints/{ticket}/step/"), None, TICKET_VIEW),
    "complaints:bring_in": Row(p("/complaints/{ticket}/departments/"), None, TICKET_WORK),
    "complaints:escalate": Row(p("/complaints/{ticket}/escalation/"), None, TICKET_WORK),
    "complaints:recovery": Row(p("/complaints/{ticket}/recovery/"), None, TICKET_VIEW),
    "complaints:feedback": Row(p("/complaints/{ticket}/feedback/"), None, TICKET_WORK),
    "complaints:feedback_resend": Row(p("/complaints/{ticket}/feedback/send/"), None, TICKET_WORK),
    "complaints:transition": Row(p("/complaints/{ticket}/acknowledge/"), None, TICKET_WORK),
    "complaints:decide": Row(p("/complaints/recovery/{action}/decision/"), None, MANAGERS),
    "complaints:feedback_public": Row(
        p("/complaints/feedback/{feedback_token}/"), STAFF, STAFF, public=True
    ),
    # surveys (the world's stay has no answers yet: heads read only their department's answers)
    "surveys:list": Row(p("/surveys/"), SURVEY_READ, None),
    "surveys:export": Row(p("/surveys/export.csv"), roles(O, M, ADM), None),
    "surveys:voice": Row(p("/surveys/voice/"), MANAGERS, None),
    "surveys:praise": Row(p("/surveys/thanks/"), SURVEY_READ, None),
    "surveys:stay": Row(p("/surveys/stays/{stay}/"), SURVEY_CARE, None),
    "surveys:stay_record": Row(p("/surveys/stays/{stay}/record/"), None, SURVEY_CARE),
    "surveys:stay_send": Row(p("/surveys/stays/{stay}/send/"), None, SURVEY_CARE),
    "surveys:stay_thanked": Row(p("/surveys/stays/{stay}/thanked/"), None, MANAGERS),
    "surveys:survey_public": Row(p("/surveys/answer/{survey_token}/"), STAFF, STAFF, public=True),
    # PMS import (managers and administrators)
    "imports:list": Row(p("/imports/"), MANAGERS, MANAGERS),
    "imports:template": Row(p("/imports/template.csv"), MANAGERS, MANAGERS),
    "imports:mapping": Row(p("/imports/{import_run}/"), MANAGERS, MANAGERS),
    "imports:preview": Row(p("/imports/{import_run}/preview/"), MANAGERS, MANAGERS),
    "imports:progress": Row(p("/imports/{import_run}/progress/"), MANAGERS, MANAGERS),
    "imports:cancel": Row(p("/imports/{import_run}/cancel/"), None, MANAGERS),
    "imports:resume": Row(p("/imports/{import_run}/resume/"), None, MANAGERS),
    # loyalty
    "loyalty:members": Row(p("/loyalty/"), MEMBER_VIEW, MEMBER_VIEW),
    "loyalty:member": Row(p("/loyalty/members/{member}/"), MEMBER_VIEW, MEMBER_VIEW),
    "loyalty:redeem": Row(p("/loyalty/members/{member}/redeem/"), REDEEM, REDEEM),
    "loyalty:adjust": Row(p("/loyalty/members/{member}/adjust/"), MANAGERS, MANAGERS),
    "loyalty:enrol": Row(p("/loyalty/enrol/{other_guest}/"), REDEEM, REDEEM),
    "loyalty:reverse": Row(p("/loyalty/redemptions/{redemption}/reverse/"), NOTIFY, NOTIFY),
    "loyalty:rewards": Row(p("/loyalty/rewards/"), MEMBER_VIEW, MEMBER_VIEW),
    "loyalty:expiring": Row(p("/loyalty/expiring/"), MEMBER_VIEW, MEMBER_VIEW),
    "loyalty:liability": Row(p("/loyalty/liability/"), MANAGERS, MANAGERS),
    # guest value and the churn radar (the world's win-back task is the account manager's own)
    "retention:list": Row(p("/guest-value/"), VALUE_VIEW, VALUE_VIEW),
    "retention:export": Row(p("/guest-value/export.csv"), MANAGERS, None),
    "retention:keep_in_touch": Row(p("/guest-value/keep-in-touch/"), None, MANAGERS),
    "retention:segments": Row(p("/guest-value/segments/"), VALUE_VIEW, VALUE_VIEW),
    "retention:recompute": Row(p("/guest-value/guests/{guest}/recompute/"), None, VALUE_VIEW),
    "retention:distribute": Row(p("/guest-value/distribute/"), MANAGERS, MANAGERS),
    "retention:win_back": Row(p("/guest-value/win-back/{win_back_task}/"), FOLLOW_UPS, FOLLOW_UPS),
    "retention:lost_report": Row(p("/guest-value/lost/"), NOTIFY, NOTIFY),
}

# The admin site: only administrators (is_staff) get in; everybody else is sent to the admin's
# sign-in. Its per-model URLs are generated (admin_rows), so a newly registered model is covered.
ADMIN_ONLY = roles(ADM)
ADMIN_FIXED = {
    "admin:index": "/admin/",
    "admin:password_change": "/admin/password_change/",
    "admin:password_change_done": "/admin/password_change/done/",
    "admin:jsi18n": "/admin/jsi18n/",
    "admin:autocomplete": "/admin/autocomplete/",
}
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:view_on_site", "admin:app_list"}
