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


class AskForm(forms.Form):
    question = PlainTextField(
        keep="\n\t",
        label="Your question",
        max_length=settings.EXOSITE_QUESTION_MAX_LENGTH,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Please do not include personal medical details.",
        error_messages={
            "required": "Please type your question.",
            "min_length": "Please write a little more (at least %(limit_value)d characters).",
            "max_length": "Please keep it under %(limit_value)d characters "
            "(it has %(show_value)d).",
        },
    )
    name = PlainTextField(
        label="Your name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        help_text="Only to tell you when your question is answered.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "This does not look like an email address."},
    )
    consent = forms.BooleanField(
        label="Email me once when my question is answered",
        required=False,
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field fill this one.
    website = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean(self):
        data = super().clean()
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent",
                "Tick this box so we may email you, or leave the email address empty.",
            )
        if data.get("consent") and not data.get("email"):
            self.add_error("email", "Give an email address so we can tell you, or untick the box.")
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            # A fresh token (already old enough) so that sending again works.
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(
                time.time() - settings.EXOSITE_ASK_MIN_SECONDS, salt=STARTED_SALT
            )
            raise forms.ValidationError(
                "This form has expired. Please check your question and send it again."
            ) from None
        if time.time() - float(started) < settings.EXOSITE_ASK_MIN_SECONDS:
            raise forms.ValidationError(
                "That was quicker than anyone can type. Please check your question and send "
                "it again."
            )
        return data

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
