#!/usr/bin/env python
import os
import secrets
import sys

# Commands that read only the code (they never sign, serve, store or send anything) run
# without DJANGO_SECRET_KEY, so that `manage.py makemigrations --check` works on a fresh
# clone or in a hook. Everything else keeps production's refusal (exosite/settings.py).
CODE_ONLY_COMMANDS = {"makemigrations", "help", "version"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exosite.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        # A throwaway key: nothing these commands do is signed.
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
