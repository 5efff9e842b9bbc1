"""The policy pages every installation starts with (editors revise them in the admin).

Written for this project as it is: an independent, evidence-based reference run by its
editors, with no advertising and no sponsors. The privacy page describes exactly what the
code keeps and for how long (faq and trust apps, exosite.ratelimit).
"""

PAGES = [
    {
        "slug": "about",
        "title": "About Exosite",
        "summary": "Who we are, what this site covers and how it is run.",
        "body": """
Exosite explains the science of **exosomes and other extracellular vesicles**, and what is
and is not known about using them in regenerative medicine. It is written for patients,
carers, students and clinicians who want a careful summary of the evidence, not a sales
pitch.

## What you will find here

- **Articles** that explain the biology and the state of the research, each with numbered
  references to the published literature.
- A **glossary** of the terms used across the site, linked wherever a term first appears.
- **Frequently asked questions**, many of them sent in by readers.

## Who runs it

Exosite is an independent reference written and checked by its editorial team. Every
article names its authors and its reviewer; their qualifications and declared interests
are on their [[page:editorial-policy|profiles and in our editorial policy]]. We sell
nothing and carry no advertising: see [[page:funding|funding and advertising]].

## What we are not

We do not give personal medical advice, and nothing here is a recommendation to use any
product or clinic. Read our [[page:medical-disclaimer|medical disclaimer]].
""",
    },
    {
        "slug": "editorial-policy",
        "title": "Editorial policy",
        "summary": "How our content is written, sourced, reviewed and corrected.",
        "body": """
## How we write

We summarise what peer-reviewed research shows, and say how strong the evidence is:
whether a finding comes from cells in a dish, from animals, or from people, and whether
human studies were small early-phase trials or larger controlled ones. We use the
terminology of the International Society for Extracellular Vesicles (MISEV guidelines).

## How we source

Claims of fact are backed by numbered references to published sources, preferring
systematic reviews, consensus guidelines and original studies in peer-reviewed journals.
Each reference carries a DOI or PubMed link so that you can read it yourself. Regulatory
statements link to the regulator's own pages.

## How we review

Every article is checked by a reviewer with relevant scientific or clinical
qualifications before it is published. The page shows when it was last reviewed, by whom,
and when the next review is due: at most **12 months** later, sooner when important new
evidence appears. Overdue reviews are flagged to the editors automatically.

## Conflicts of interest

Authors and reviewers declare any funding, employment, shareholdings or other interests
related to exosome research or products. Declarations appear on each person's profile.
Nobody with a financial interest in a product reviews content about it.

## Corrections

If you find a mistake, please use **Report a problem with this page** at the foot of any
page. We check every report, correct errors promptly and change the page's review date
when we do.

## Reader questions

Questions sent through the [[faq:what-is-an-exosome|FAQ]]'s ask form are answered by our
staff; answers that may help others are published, without the reader's name, as FAQ
entries and reviewed like any other content.
""",
    },
    {
        "slug": "medical-disclaimer",
        "title": "Medical disclaimer",
        "summary": "Exosite is general information, not medical advice.",
        "body": """
The content of Exosite is for **general information and education only**. It is not
medical advice, diagnosis or treatment, and it does not replace a consultation with a
qualified health professional who knows your situation.

**No exosome or extracellular-vesicle product is approved** by the US Food and Drug
Administration (or, to our knowledge, by other major regulators) to treat the conditions
discussed on this site. Clinics that sell "exosome therapies" outside registered clinical
trials are offering unproven treatments, and regulators have warned about serious harms.

Research moves quickly. We review our content regularly, but it may not reflect the very
latest findings. Always check the date of the last review at the top of each article.

Never ignore professional medical advice or delay seeking it because of something you read
here. In an emergency, contact your local emergency services.
""",
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "summary": "What we collect, why, and for how long.",
        "body": """
We collect as little as we can, and nothing for advertising or tracking.

## Reading the site

We set **no tracking or advertising cookies** and run no third-party analytics. A
security cookie is set only when you use a form, to protect it from forgery.

## Asking a question

When you use the ask form we keep:

- **your question**, which staff read and may publish, reworded and without your name,
  as an FAQ entry;
- **your name and email, only if you give them**. We use your email once, to tell you
  that your question has been answered, and only if you tick the box. We erase your name
  and email **90 days after your question is answered or closed**, automatically;
- a **scrambled code made from your internet address** (a keyed hash, not the address
  itself), to stop abuse such as repeated messages.

## Feedback and problem reports

"Was this page helpful?" and "Report a problem" keep the page's address, your answer or
report, and the same scrambled code. Contact details you add to a problem report are used
only to reply and are erased when the report has been dealt with.

## Rate limits

To protect the forms we count recent messages per scrambled code; these records are
deleted after a day.

## Your rights

You can ask us to see or delete anything you sent: write to the address on our
[[page:contact|contact page]].
""",
    },
    {
        "slug": "funding",
        "title": "Funding and advertising",
        "summary": "Who pays for Exosite: no advertising, no sponsors.",
        "body": """
Exosite is run by its editors, who give their time without payment. It has **no
sponsors, no advertising, no affiliate links and no paid placements**, and it accepts no
money from companies, clinics or laboratories that make or sell exosome products.

If that ever changes, this page will say who pays and how much, any advertising will be
clearly marked as such and kept apart from editorial content, and no funder will see or
influence content before it is published.
""",
    },
    {
        "slug": "contact",
        "title": "Contact",
        "summary": "How to reach the editors.",
        "body": """
- **A question about exosomes** that our FAQ does not answer: use the ask form, linked
  from every FAQ page.
- **A mistake or a broken link**: use *Report a problem with this page* at the foot of
  the page concerned.
- **Anything else**, including requests about your personal data: email the editors at
  the address at the foot of every page.

We cannot answer questions about your own health or treatment: please talk to your
doctor.
""",
    },
]


def ensure_policy_pages(Page):
    """Create any policy page that is missing (never touches an existing one)."""
    from django.utils import timezone

    from exosite.markup import render_markdown

    now = timezone.now()
    for position, data in enumerate(PAGES, start=1):
        if Page.objects.filter(slug=data["slug"]).exists():
            continue
        body = data["body"].strip()
        Page.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body=body,
            body_html=render_markdown(body),
            status="published",
            published_at=now,
            position=position,
            in_footer=True,
        )


def ensure_policy_pages_after_migrate(sender, **kwargs):
    from trust.models import Page

    ensure_policy_pages(Page)
