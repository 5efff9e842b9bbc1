from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exosite.kernel.forms import HumanForm, PlainTextField


class AskForm(HumanForm):
    question = PlainTextField(
        keep="\n\t",
        label=_("Your question"),
        max_length=settings.EXOSITE_QUESTION_MAX_LENGTH,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text. Please do not include personal medical details."),
        error_messages={
            "required": _("Please type your question."),
            "min_length": _("Please write a little more (at least %(limit_value)d characters)."),
            "max_length": _(
                "Please keep it under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    name = PlainTextField(
        label=_("Your name (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _(
                "Please shorten your name to %(limit_value)d characters or fewer "
                "(it has %(show_value)d), or leave it empty."
            )
        },
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Only to tell you when your question is answered."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Enter an email address like name@example.org, or leave it empty."),
            "max_length": _("Please shorten the email address to %(limit_value)d characters."),
        },
    )
    consent = forms.BooleanField(
        label=_("Email me once when my question is answered"),
        required=False,
    )

    def clean(self):
        data = self.cleaned_data
        if data.get("email") and not data.get("consent"):
            self.add_error(
                "consent",
                _("Tick this box so we may email you, or leave the email address empty."),
            )
        if data.get("consent") and not data.get("email"):
            self.add_error(
                "email", _("Give an email address so we can tell you, or untick the box.")
            )
        return super().clean()  # the honeypot and timing checks
