"""``python manage.py load_demo``: the five councils, their teams, demo people and the
reference frameworks. Idempotent: run it as often as you like."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from councils.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the five councils, teams, one demo person per role and reference frameworks."

    def handle(self, *args, **options) -> None:
        logins = load_demo()
        council_width = max(len(login.council) for login in logins)
        role_width = max(len(login.role) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /accounts/login/"))
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"{'Council':<{council_width}}  {'Role':<{role_width}}  Email")
        self.stdout.write(f"{'-' * council_width}  {'-' * role_width}  {'-' * 40}")
        for login in logins:
            self.stdout.write(
                f"{login.council:<{council_width}}  {login.role:<{role_width}}  {login.email}"
            )
