"""Print the demo logins (`make logins`; `make run` prints them once everything is up)."""

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo staff logins seeded by seed_demo."

    def handle(self, *args, **options):
        for line in demo_login_lines():
            self.stdout.write(line)


def demo_login_lines() -> list[str]:
    lines = ["Demo logins (username / password — role):"]
    lines += [f"  {d.username:<15} {d.password:<22} {d.role.name}" for d in DEMO_USERS]
    return lines
