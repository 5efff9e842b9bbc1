"""Each process's caches are bounded in bytes (EXOSITE_LOCAL_CACHE_BYTES, shared out in
exosite/settings.py): the pages kept in front of the cache (pagecache.LocalPages), the
memos (kernel/memo.py) and the local-memory default cache (kernel/locmem.py). Bytes are
counted, never timed: the least recently used go first, and an entry bigger than the
budget is not kept."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from exosite.kernel import memo
from exosite.kernel.locmem import ENTRY_OVERHEAD, BoundedLocMemCache
from exosite.kernel.pagecache import Entry, LocalPages, PageCacheMiddleware

KB = 1024


# -- the pages in front of the cache -------------------------------------------------------


def entry(size, encoded=None):
    return Entry((b"x" * size,), encoded or {}, [("Content-Type", "text/html")], '"e"', 0, None)


def test_an_entry_counts_every_variant():
    plain = entry(10 * KB)
    both = entry(10 * KB, {"br": (b"b" * 3 * KB,), "gzip": (b"g" * 4 * KB,)})
    assert plain.nbytes >= 10 * KB
    assert both.nbytes - plain.nbytes >= 7 * KB
    assert both.nbytes < 10 * KB + 7 * KB + 2 * KB  # the rest is small overhead


def test_local_pages_stay_within_their_bytes_evicting_the_least_recently_used():
    pages = LocalPages(max_bytes=100 * KB)
    for n in range(10):
        pages.put(n, entry(20 * KB))
        pages.get(0)  # keep reading the first one
        assert pages.nbytes <= 100 * KB
    assert pages.get(0) is not None  # recently used: kept
    assert pages.get(9) is not None  # just stored: kept
    assert pages.get(1) is None  # least recently used: gone
    assert pages.nbytes == sum(pages.get(n).nbytes for n in range(10) if pages.get(n))


def test_a_page_over_a_quarter_of_the_budget_is_not_kept_locally():
    pages = LocalPages(max_bytes=100 * KB)
    pages.put("small", entry(5 * KB))
    pages.put("big", entry(30 * KB))
    assert pages.get("big") is None
    assert pages.get("small") is not None
    # Storing a page again replaces it, and its bytes.
    pages.put("small", entry(8 * KB))
    assert pages.nbytes == pages.get("small").nbytes


def test_the_page_cache_keeps_its_local_pages_within_the_setting(client, make_article, settings):
    settings.EXOSITE_PAGE_CACHE = True
    settings.EXOSITE_LOCAL_PAGES_BYTES = 200 * KB
    PageCacheMiddleware.local.clear()
    articles = [make_article(body="Vesicles. " * 2000) for _ in range(12)]
    try:
        for article in articles:
            response = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="br")
            assert response.status_code == 200
            assert 0 < PageCacheMiddleware.local.nbytes <= 200 * KB
        assert len(PageCacheMiddleware.local) < len(articles)
    finally:
        PageCacheMiddleware.local.clear()


# -- memos -----------------------------------------------------------------------------------


def test_deep_size_counts_what_a_value_holds_once():
    blob = b"x" * 10 * KB
    assert memo.deep_size([blob] * 50) < 12 * KB  # the same object, counted once
    assert memo.deep_size([bytes(10 * KB) + bytes([n]) for n in range(50)]) > 500 * KB
    nested = {"a": {"b": ("c" * 5000, [b"d" * 5000])}}
    assert memo.deep_size(nested) > 10_000

    class Holder:
        def __init__(self):
            self.data = b"y" * 20 * KB

    assert memo.deep_size(Holder()) > 20 * KB
    assert memo.deep_size(Holder) < 20 * KB  # a class is shared code, not a value


@pytest.fixture
def small_memo_budget(settings):
    settings.EXOSITE_MEMO_BYTES = 100 * KB
    memo.forget_all()
    yield
    memo.forget_all()


def test_memos_together_stay_within_their_bytes(small_memo_budget):
    first, second = memo.Memo("test first", size=50), memo.Memo("test second", size=50)
    for n in range(20):
        first.set(n, b"a" * 10 * KB)
        second.set(n, b"b" * 10 * KB)
        first.get(0)  # keep reading one
        assert memo.total_bytes() <= 100 * KB
    assert first.get(0) is not None
    assert second.get(19) is not None
    assert first.get(1) is None and second.get(1) is None
    assert memo.total_bytes() == first.nbytes + second.nbytes + sum(
        m.nbytes for m in memo._registry if isinstance(m, memo.Memo) and m not in (first, second)
    )


def test_a_value_bigger_than_the_memo_budget_is_not_kept(small_memo_budget):
    kept = memo.Memo("test kept")
    kept.set("small", b"s" * KB)
    big = memo.Memo("test big")
    calls = []

    def compute():
        calls.append(1)
        return b"B" * 200 * KB

    assert len(big.get_or_set("key", compute)) == 200 * KB
    assert len(big.get_or_set("key", compute)) == 200 * KB
    assert len(calls) == 2  # computed each time, never kept
    assert big.get("key") is None
    assert kept.get("small") is not None  # and it pushed nothing out


def test_a_memo_still_keeps_only_its_most_recent_entries(small_memo_budget):
    recent = memo.Memo("test recent", size=2)
    for n in range(4):
        recent.set(n, n)
    assert [recent.get(n) for n in range(4)] == [None, None, 2, 3]
    before = memo.total_bytes()
    recent.clear()
    assert memo.total_bytes() < before
    assert recent.nbytes == 0


def test_the_glossary_index_is_kept_within_the_default_budget(make_term):
    from exosite.kernel import kinds

    for n in range(30):
        make_term(name=f"Vesicle marker {n}", aliases=f"marker {n}")
    index = kinds.get("glossary").index()
    assert kinds.get("glossary").index() is index  # kept: the second call builds nothing
    assert 0 < memo.deep_size(index) < django_settings.EXOSITE_MEMO_BYTES


# -- the local-memory default cache ----------------------------------------------------------


def bounded(name, max_bytes, **options):
    return BoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, **options}})


@pytest.fixture
def small_cache(request):
    backend = bounded(f"test-{request.node.name}", 100 * KB)
    backend.clear()
    yield backend
    backend.clear()


def test_the_default_cache_is_bounded_in_bytes():
    default = caches["default"]
    assert isinstance(default, BoundedLocMemCache) or django_settings.REDIS_URL
    if not django_settings.REDIS_URL:
        assert default.max_bytes == django_settings.EXOSITE_LOCMEM_BYTES > 0


def test_local_memory_stays_within_its_bytes_evicting_the_least_recently_used(small_cache):
    for n in range(30):
        small_cache.set(f"k{n}", b"v" * 10 * KB)
        assert small_cache.get("k0") is not None  # read: recently used
        assert small_cache.nbytes <= 100 * KB
    assert small_cache.get("k29") is not None
    assert small_cache.get("k1") is None
    kept = [key for key in (f"k{n}" for n in range(30)) if small_cache.has_key(key)]
    assert small_cache.nbytes == sum(
        len(small_cache._cache[small_cache.make_key(key)]) + len(small_cache.make_key(key))
        for key in kept
    ) + ENTRY_OVERHEAD * len(kept)


def test_an_entry_bigger_than_the_budget_is_not_kept(small_cache):
    small_cache.set("key", b"old")
    small_cache.set("other", b"o" * KB)
    small_cache.set("key", b"n" * 200 * KB)
    assert small_cache.get("key") is None  # not kept, and the old value is gone too
    assert small_cache.get("other") == b"o" * KB
    assert not small_cache.add("huge", b"h" * 200 * KB) or small_cache.get("huge") is None


def test_deleting_expiring_and_clearing_give_the_bytes_back(small_cache):
    small_cache.set("a", b"a" * 10 * KB)
    small_cache.set("b", b"b" * 10 * KB, timeout=-1)  # already expired
    small_cache.set("c", b"c" * 10 * KB)
    assert small_cache.get("b") is None
    small_cache.delete("a")
    assert small_cache.nbytes < 11 * KB + ENTRY_OVERHEAD
    small_cache.clear()
    assert small_cache.nbytes == 0


def test_incr_and_culling_keep_the_count_right(request):
    backend = bounded(f"test-{request.node.name}", 100 * KB, MAX_ENTRIES=10)
    backend.clear()
    backend.set("counter", 1)
    assert backend.incr("counter", 41) == 42
    assert backend.get("counter") == 42
    for n in range(25):
        backend.set(n, n)
    assert len(backend._cache) <= 10
    assert backend.nbytes == sum(
        len(value) + len(key) + ENTRY_OVERHEAD for key, value in backend._cache.items()
    )
    backend.clear()


def test_every_thread_of_a_process_shares_one_count(request):
    name = f"test-{request.node.name}"
    one, other = bounded(name, 100 * KB), bounded(name, 100 * KB)
    one.clear()
    one.set("a", b"a" * 10 * KB)
    assert other.get("a") == b"a" * 10 * KB
    assert other.nbytes == one.nbytes > 10 * KB
    for n in range(20):
        other.set(n, b"b" * 10 * KB)
    assert one.nbytes <= 100 * KB
    one.clear()


# -- the setting -----------------------------------------------------------------------------


@pytest.mark.parametrize("redis", ["", "redis://127.0.0.1:1/0"])
def test_one_setting_shares_out_every_process_budget(redis):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "exosite.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "EXOSITE_LOCAL_CACHE_BYTES": str(64 * 2**20),
        "REDIS_URL": redis,
    }
    code = (
        "from django.conf import settings as s; print(s.EXOSITE_LOCAL_CACHE_BYTES,"
        " s.EXOSITE_LOCAL_PAGES_BYTES, s.EXOSITE_MEMO_BYTES, s.EXOSITE_LOCMEM_BYTES,"
        " s.CACHES['default'].get('OPTIONS', {}).get('MAX_BYTES'))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    total, pages, memos, locmem, option = run.stdout.split()
    assert int(total) == 64 * 2**20
    assert int(pages) + int(memos) + int(locmem) == int(total)
    if redis:
        assert int(locmem) == 0 and option == "None"
    else:
        assert int(option) == int(locmem) == int(total) // 2
