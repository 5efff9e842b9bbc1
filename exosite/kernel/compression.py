"""Compressed responses: Brotli or gzip, as the request's Accept-Encoding allows.

Two ways in:

- The page cache (`exosite.kernel.pagecache`) makes each of a stored page's Brotli and
  gzip variants once, when a request first asks for it, and stores it with the page
  (`encode`). A hit only joins stored pieces (`fill`): it costs no compression at all.
- `CompressionMiddleware` compresses, one response at a time, what the page cache did not
  answer from a stored page (pages it may not keep, 404s, pages it was told to bypass).

Choosing (`negotiate`)
    Accept-Encoding is read as RFC 9110 says: q-values (`br;q=0` refuses Brotli), `*` for
    any coding not named, `x-gzip` for gzip, names in any case. The acceptable coding with
    the highest q wins, Brotli before gzip when they tie; without one, the body is sent
    as it is (identity). A malformed element (`gzip;q=x`, `br;q=2`) is ignored, never an
    error.

BREACH
    An attacker who can put text into a page (a search query) and watch the size of its
    compressed responses can find out a secret in the same page byte by byte. So a
    response is never compressed when it carries something one visitor must not learn of
    another (`carries_secret`): a page that used the CSRF token (Django's `get_token` was
    called: the ask form, the problem-report form, every admin page), any response that
    sets a cookie, any response to a request with a session, messages cookie or
    Authorization header (signed-in staff), and any response its view marked `private` or
    `no-store` (previews and share links). Pages the page cache keeps have none of these
    by construction (it stores no page that sets a cookie or was made for a session).
    Tiny bodies (under MIN_SIZE) and types that are compressed already (images, fonts,
    archives: anything not in `compressible`) are sent as they are; static files never
    get here (whitenoise serves its own pre-compressed copies).

CSP nonces in a compressed page
    A cached page gets a fresh CSP nonce on every hit, but compressed bytes cannot be
    patched in place. So each nonce of a stored page is put in a block of its own that is
    *not* compressed, and between the blocks the stream is compressed once:

    - gzip (deflate): the text before a nonce is compressed and flushed to a byte
      boundary (Z_SYNC_FLUSH), then a stored block holds the nonce, then the compression
      goes on. Deflate keeps no state across blocks except the window of past bytes, so
      the stream is correct for any nonce as long as no later match copies bytes from
      where the nonce is. The compressor is shown a *filler* there instead of the nonce:
      bytes that occur nowhere in the page, so no match can ever include them. The gzip
      trailer's CRC-32 covers the nonce: it is worked out per hit over the identity
      pieces (zlib.crc32, about 10 microseconds for 36 KB).
    - Brotli: the filler, with the two bytes after it, is flushed as its own meta-block;
      Brotli's encoder stores such a high-entropy scrap *uncompressed* (and then restores
      its distance cache, so nothing after depends on it) and the filler bytes are
      replaced by the nonce. The two bytes after the nonce go with it because Brotli
      chooses each literal's code by the two bytes before it: after the block those are
      page bytes, the same for encoder and decoder, whatever the nonce. `encode` checks
      that the encoder's output for each block is exactly an uncompressed meta-block
      header followed by the filler; if it ever is not, the page simply has no Brotli
      variant (gzip or identity is served).

    The flushes around the blocks cost under 1% in size. The variants of a page without a
    nonce are plain single streams.
"""

import functools
import gzip
import random
import struct
import zlib

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers

IDENTITY = "identity"
BROTLI = "br"
GZIP = "gzip"
# At equal q, the first acceptable one is chosen.
CODINGS = (BROTLI, GZIP)

# Made on every page-cache miss, so cheap levels (bench/README.md, a 49 KB article page):
# Brotli 5 gives 11.6 KB in 0.73 ms (4: 12.1 KB in 0.50 ms; 11: 10.0 KB in 49 ms); gzip 3
# gives 13.4 KB in 0.20 ms (6: 12.3 KB in 0.89 ms). Browsers get Brotli, so gzip, for the
# other clients, is made at the cheaper level.
BROTLI_QUALITY = 5
GZIP_LEVEL = 3
# Below this a compressed body saves next to nothing (it fits in the first packets either
# way) and costs CPU.
MIN_SIZE = 1024

# Bytes after a nonce that go into its uncompressed block (Brotli's literal context).
CONTEXT_BYTES = 2
# Filler bytes are picked from these, in this order: first the bytes UTF-8 never uses,
# then control characters HTML never contains, then the rest.
_FILLER_CANDIDATES = (
    [*range(0xFF, 0xF4, -1), 0xC1, 0xC0]
    + [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]
    + [*range(0x80, 0xC0), *range(0xC2, 0xF5)]
)

# No file name, no time: the same bytes from every process.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


# -- choosing ------------------------------------------------------------------------------


def negotiate(request):
    """Which coding to send in answer to `request`: "br", "gzip" or "identity"."""
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if not header:
        return IDENTITY
    if len(header) > 256:  # not worth remembering (nor a way to fill the memo)
        return _choose.__wrapped__(header)
    return _choose(header)


@functools.lru_cache(maxsize=64)
def _choose(header):
    weights = {}
    for element in header.split(","):
        coding, _, params = element.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = _weight(params)
        if weight is None:
            continue
        if coding == "x-gzip":
            coding = GZIP
        # A coding named twice counts with its lower weight: `q=0` is never overruled.
        weights[coding] = min(weight, weights.get(coding, weight))
    star = weights.get("*", 0.0)
    best, best_weight = IDENTITY, 0.0
    for coding in CODINGS:
        weight = weights.get(coding, star)
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def _weight(params):
    """The q-value in an element's parameters: 1.0 without one, None when it is not a
    number from 0 to 1."""
    weight = 1.0
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                return None
            if not 0.0 <= weight <= 1.0:  # also false for nan
                return None
    return weight


def compressible(response):
    """Text-like content types only: images, fonts and archives are compressed already."""
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return (
        content_type.startswith("text/")
        or content_type.endswith(("+xml", "+json"))
        or content_type
        in ("application/json", "application/xml", "application/javascript", "image/svg+xml")
    )


def carries_secret(request, response):
    """True when the response may hold something of one visitor's that another must not
    learn (see BREACH above): never compressed."""
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        # Set by get_token() and rotate_token() (and left, as False, once the cookie has
        # been sent): the page holds a CSRF token.
        return True
    if response.cookies:
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    cache_control = response.get("Cache-Control", "")
    return "private" in cache_control or "no-store" in cache_control


# -- one response at a time ----------------------------------------------------------------


def compress(coding, data):
    if coding == BROTLI:
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, GZIP_LEVEL, mtime=0)


class CompressionMiddleware:
    """Compresses responses the page cache did not make from a stored page (those come with
    their own variants), unless they carry a secret, are tiny or are compressed already.
    Sits right before the page cache in MIDDLEWARE, so that it sees the cookies and
    headers everything inside set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "encoded_by_page_cache", False):
            return response
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not compressible(response)
            or len(response.content) < MIN_SIZE
            or carries_secret(request, response)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = negotiate(request)
        if coding == IDENTITY:
            return response
        body = compress(coding, response.content)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(body))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            # The same entity compressed on the fly: no longer byte-for-byte the one
            # the strong ETag named (what Django's GZipMiddleware does too).
            response["ETag"] = "W/" + etag
        return response


# -- stored variants with nonce holes ------------------------------------------------------


def encode(coding, pieces, hole, fillers=None):
    """The `coding` stream of pieces[0] + N + pieces[1] + ... + N + pieces[-1], for any
    nonce N of `hole` bytes, as a tuple of parts that `fill` joins around N; None when no
    such stream could be made (then the page has no variant in this coding).

    gzip parts leave out the 8-byte trailer (CRC-32 and length), which `fill` adds."""
    if len(pieces) == 1:
        return (compress(coding, pieces[0]),)
    fillers = fillers or _fillers(pieces, hole)
    if fillers is None:
        return None
    if coding == BROTLI:
        return _brotli_parts(pieces, fillers)
    return _gzip_parts(pieces, fillers)


def fill(coding, parts, nonce, pieces):
    """The body of one response: `parts` (from `encode`, or the identity `pieces`) joined
    around `nonce`."""
    if len(parts) == 1:
        return parts[0]
    body = nonce.join(parts)
    if coding == GZIP:
        crc = zlib.crc32(pieces[0])
        for piece in pieces[1:]:
            crc = zlib.crc32(piece, zlib.crc32(nonce, crc))
        size = sum(map(len, pieces)) + len(nonce) * (len(pieces) - 1)
        body += struct.pack("<II", crc, size & 0xFFFFFFFF)
    return body


def _fillers(pieces, length):
    """A filler of `length` bytes for each nonce between `pieces`, each made only of bytes
    that occur nowhere in them, each in another order; None when too few such bytes exist.
    """
    absent = []
    for byte in _FILLER_CANDIDATES:
        needle = bytes((byte,))
        if not any(needle in piece for piece in pieces):
            absent.append(byte)
            if len(absent) >= length + FILLER_CHOICE:
                break
    if len(absent) < length:
        return None
    # Different orders, so that Brotli finds nothing to copy from one filler to the next.
    return [
        bytes(absent[position] for position in _order(index, len(absent))[:length])
        for index in range(len(pieces) - 1)
    ]


# Spare bytes beyond the filler's length, so that fillers can differ in more than order.
FILLER_CHOICE = 6


@functools.lru_cache(maxsize=256)
def _order(index, size):
    """A fixed shuffle of range(size), another for each index (the same in every process,
    so the same page compresses to the same bytes everywhere)."""
    order = list(range(size))
    random.Random(index).shuffle(order)
    return tuple(order)


def _gzip_parts(pieces, fillers):
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    hole = len(fillers[0])
    stored_header = b"\x00" + struct.pack("<HH", hole, hole ^ 0xFFFF)  # BFINAL 0, BTYPE 00
    parts, out = [], bytearray(_GZIP_HEADER)
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if index:
            # The compressor sees the filler (so its window stays aligned with the
            # decoder's); what it makes of it is replaced by a stored block for the nonce.
            compressor.compress(fillers[index - 1])
            compressor.flush(zlib.Z_SYNC_FLUSH)
        out += compressor.compress(piece)
        if index < last:
            out += compressor.flush(zlib.Z_SYNC_FLUSH) + stored_header
            parts.append(bytes(out))
            out = bytearray()
        else:
            out += compressor.flush(zlib.Z_FINISH)
    parts.append(bytes(out))
    return tuple(parts)


def _uncompressed_metablock_header(length):
    """RFC 7932 9.2: ISLAST 0, MNIBBLES 4, MLEN-1, ISUNCOMPRESSED 1, then zero bits to the
    byte boundary."""
    return (((length - 1) << 3) | (1 << 19)).to_bytes(3, "little")


def _brotli_parts(pieces, fillers):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    parts, out = [], bytearray()
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if index:
            context, piece = piece[:CONTEXT_BYTES], piece[CONTEXT_BYTES:]
            scrap = fillers[index - 1] + context
            header = _uncompressed_metablock_header(len(scrap))
            if compressor.process(scrap) + compressor.flush() != header + scrap:
                return None
            parts.append(bytes(out + header))
            out = bytearray(context)
        out += compressor.process(piece)
        out += compressor.flush() if index < last else compressor.finish()
    parts.append(bytes(out))
    return tuple(parts)
