"""A development-only admin account with a fresh random password each run."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the development admin 'admin' and print its new password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "dev_admin only runs with DJANGO_DEBUG=1. In production create real "
                "accounts with 'manage.py createsuperuser' (make superuser)."
            )
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Admin: {url}  user: {username}  password: {password}")
        )
