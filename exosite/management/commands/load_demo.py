"""Load the demo content: articles, glossary, FAQ. Safe to run again (idempotent).

Items are matched by slug and updated in place, so running it twice creates nothing
new; an editor's later changes to demo items are overwritten, others are untouched.
"""

from datetime import date, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Reference
from exosite import demo_content, linking
from exosite.models import Status
from faq.models import Question, Topic
from glossary.models import Term
from trust.models import Person


class Command(BaseCommand):
    help = "Load (or refresh) the demo articles, glossary terms and FAQ entries."

    def handle(self, *args, **options):
        now = timezone.now()
        total = len(demo_content.TERMS) + len(demo_content.ARTICLES) + len(demo_content.QUESTIONS)
        progress = lambda done: self.progress("links and mentions", done, total)  # noqa: E731
        with linking.bulk_changes(progress), transaction.atomic():
            topics = self.load_topics()
            people = self.load_people()
            terms = self.load_terms(now)
            articles = self.load_articles(now, people)
            questions = self.load_questions(topics, now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {articles} articles, {terms} glossary terms, "
                f"{questions} FAQ entries in {len(topics)} topics, {len(people)} people."
            )
        )

    def progress(self, label, done, total):
        # One updating line on a terminal; only the final count when piped or logged.
        if self.stdout.isatty():
            self.stdout.write(f"\r  {label}: {done}/{total}", ending="")
            if done == total:
                self.stdout.write("")
        elif done == total:
            self.stdout.write(f"  {label}: {done}/{total}")
        self.stdout.flush()

    def load_topics(self):
        topics = {}
        for data in demo_content.TOPICS:
            topic, _ = Topic.objects.update_or_create(
                slug=data["slug"],
                defaults={key: data[key] for key in ("name", "description", "position")},
            )
            topics[topic.slug] = topic
        return topics

    def load_people(self):
        people = {}
        for data in demo_content.PEOPLE:
            person, _ = Person.objects.update_or_create(
                slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
            )
            people[person.slug] = person
        return people

    def load_terms(self, now):
        rows = demo_content.TERMS
        by_slug = {}
        for done, data in enumerate(rows, start=1):
            term, _ = Term.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "abbreviation": data.get("abbreviation", ""),
                    "aliases": "\n".join(data.get("aliases", [])),
                    "short_definition": data["short_definition"],
                    "definition": data["definition"].strip(),
                    "status": Status.PUBLISHED,
                    "published_at": now - timedelta(days=120 - done),
                },
            )
            term.tags.set(data.get("tags", []))
            by_slug[term.slug] = term
            self.progress("glossary terms", done, len(rows))
        for data in rows:
            by_slug[data["slug"]].related.set(by_slug[slug] for slug in data.get("related", []))
        return len(rows)

    def load_articles(self, now, people):
        rows = demo_content.ARTICLES
        for done, data in enumerate(rows, start=1):
            state = data.get("state", "published")
            if state == "scheduled":
                status, published_at = Status.PUBLISHED, now + timedelta(days=30)
            elif state == "draft":
                status, published_at = Status.DRAFT, None
            else:
                status, published_at = (
                    Status.PUBLISHED,
                    datetime.fromisoformat(data["published_at"]),
                )
            article, _ = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "summary": data["summary"],
                    "seo_description": data.get("seo_description", ""),
                    "body": data["body"].strip(),
                    "authors": data["authors"],
                    "reviewed_by": data.get("reviewed_by", ""),
                    "reviewed_at": date.fromisoformat(data["reviewed_at"])
                    if data.get("reviewed_at")
                    else None,
                    "featured": data.get("featured", False),
                    "status": status,
                    "published_at": published_at,
                },
            )
            article.tags.set(data.get("tags", []))
            authors, reviewer = demo_content.ARTICLE_PEOPLE.get(article.slug, ([], None))
            article.author_profiles.set([people[slug] for slug in authors])
            if reviewer and article.reviewer_id != people[reviewer].pk:
                article.reviewer = people[reviewer]
                article.save(update_fields=["reviewer"])
            references = data.get("references", [])
            article.references.exclude(position__lte=len(references)).delete()
            for position, ref in enumerate(references, start=1):
                Reference.objects.update_or_create(
                    article=article,
                    position=position,
                    defaults={
                        "citation": ref["citation"],
                        "doi": ref.get("doi", ""),
                        "pmid": ref.get("pmid", ""),
                        "url": ref.get("url", ""),
                    },
                )
            self.progress("articles", done, len(rows))
        return len(rows)

    def load_questions(self, topics, now):
        rows = demo_content.QUESTIONS
        for done, data in enumerate(rows, start=1):
            question, _ = Question.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "question": data["question"],
                    "answer": data["answer"].strip(),
                    "topic": topics[data["topic"]],
                    "position": data.get("position", 0),
                    "status": Status.PUBLISHED,
                    "published_at": now - timedelta(days=90 - done),
                },
            )
            question.tags.set(data.get("tags", []))
            self.progress("FAQ entries", done, len(rows))
        return len(rows)
