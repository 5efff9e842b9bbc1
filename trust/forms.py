from django import forms
from django.utils.translation import gettext_lazy as _

from exosite.kernel.forms import HumanForm, PlainTextField


class ProblemForm(HumanForm):
    """'Report a problem with this page', with the same protection as the ask form."""

    comment = PlainTextField(
        keep="\n\t",
        label=_("What is wrong?"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example a mistake, an out-of-date statement, a broken link or something "
            "hard to understand."
        ),
        error_messages={
            "required": _("Please tell us what is wrong."),
            "min_length": _("Please write a little more (at least %(limit_value)d characters)."),
            "max_length": _(
                "Please keep it under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    contact = PlainTextField(
        label=_("Your email or phone (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you would like a reply."),
        error_messages={
            "max_length": _(
                "Please shorten this to %(limit_value)d characters (it has "
                "%(show_value)d), or leave it empty."
            )
        },
    )


class CommentForm(forms.Form):
    comment = PlainTextField(
        keep="\n\t",
        label=_("Anything you would like to add? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Please keep it under %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
