"""Form pieces for every public form: plain-text fields and the checks that keep bots out
without bothering people (a honeypot field and a minimum time to fill the form)."""

import time

from django import forms
from django.conf import settings
from django.core import signing

STARTED_SALT = "faq.ask.started"


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
    nothing); `clean()` refuses a form sent faster than EXOSITE_ASK_MIN_SECONDS or from a
    page more than a day old, keeping everything typed.
    """

    # Hidden from people (CSS and aria-hidden); bots that fill every field fill this one.
    website = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            # A fresh token (already old enough) so that sending again works.
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(
                time.time() - settings.EXOSITE_ASK_MIN_SECONDS, salt=STARTED_SALT
            )
            raise forms.ValidationError(
                "This form has expired. Please check what you wrote and send it again."
            ) from None
        if time.time() - float(started) < settings.EXOSITE_ASK_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quicker than anyone can type. Please check what you wrote and send "
                "it again."
            )
        return data
