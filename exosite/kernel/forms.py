"""Form pieces for every public form: plain-text fields and the checks that keep bots out
without bothering people (a honeypot field and a minimum time to fill the form)."""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from exosite.kernel import ratelimit

STARTED_SALT = "exosite.form.started"
# A form's token is good for a day after the form was shown, and for one send.
TOKEN_MAX_AGE = 86400
TOKEN_SCOPE = "form-token"


def start_token(shown_at=None):
    """The hidden `started` field: when the form was shown, and a nonce that is spent when
    the form is accepted (signed: neither can be changed)."""
    shown_at = time.time() if shown_at is None else shown_at
    return signing.dumps({"t": shown_at, "n": secrets.token_hex(12)}, salt=STARTED_SALT)


def printable(text, keep=""):
    """Text without control characters (a pasted NUL, bell or terminal colour code)."""
    return "".join(ch for ch in text if ch in keep or ch.isprintable())


class PlainTextField(forms.CharField):
    """A CharField that drops control characters (line breaks and tabs may stay)."""

    def __init__(self, *, keep="", **kwargs):
        self.keep = keep
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(printable(value or "", self.keep))


class HumanForm(forms.Form):
    """Adds a honeypot field and a signed start time to a public form.

    `is_bot` is true when the honeypot is filled (answer as if all went well, store
    nothing); `clean()` refuses a form sent faster than EXOSITE_ASK_MIN_SECONDS, from a
    page more than a day old, or a second time with the same token, keeping everything
    typed. A refused token is replaced by a new one that must itself age the minimum
    time, so a bot cannot trade a forged token for a ready one, and a person re-reading
    their text before sending again never notices.
    """

    # Hidden from people (CSS and aria-hidden); bots that fill every field fill this one.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = start_token()

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        try:
            token = signing.loads(
                self.data.get("started", ""), salt=STARTED_SALT, max_age=TOKEN_MAX_AGE
            )
            shown_at, nonce = float(token["t"]), str(token["n"])
        except (signing.BadSignature, TypeError, KeyError, ValueError):
            self.refuse_token(
                _(
                    "This page was open for more than a day, so the form has expired. Please "
                    "check what you wrote and send it again."
                )
            )
        if time.time() - shown_at < settings.EXOSITE_ASK_MIN_SECONDS:
            seconds = settings.EXOSITE_ASK_MIN_SECONDS
            raise forms.ValidationError(
                _(
                    "Not sent yet: it came less than %(seconds)d seconds after the page opened, "
                    "faster than anyone can type, and that is how we tell people from "
                    "automated programs. Please read it through and send it again."
                ),
                params={"seconds": seconds},
                code="too_fast",
            )
        # Spent only by a form that is otherwise accepted: one with a mistake to correct
        # comes back with its token still good.
        if not self.errors and not ratelimit.hit(TOKEN_SCOPE, nonce, "1/d"):
            self.refuse_token(
                _("This form was already sent. Please check what you wrote and send it again.")
            )
        return data

    def refuse_token(self, message):
        """Refuse the form, giving the page a new token shown from now."""
        self.data = self.data.copy()
        self.data["started"] = start_token()
        raise forms.ValidationError(message)
