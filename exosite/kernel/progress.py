"""One progress reporter for every long-running command (imports, demo content, synthetic
data, re-indexing, re-linking).

    progress = Progress(self.stdout)
    for item in progress.track("articles", items, total=len(items)):
        ...
    progress.done(f"Loaded {n} articles.")

On a terminal it redraws one line per stage ("  articles [#####.....] 512/1,000"); when
the output is a file or a pipe (CI logs, tests) it writes a line at each tenth and at the
end of a stage, so logs stay short. `done()` prints the one-line summary every command
ends with.
"""

import time


class Progress:
    width = 30

    def __init__(self, stream, *, interactive=None, min_interval=0.1):
        self.stream = stream
        if interactive is None:
            isatty = getattr(getattr(stream, "_out", stream), "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self.min_interval = min_interval
        self.started = time.monotonic()
        self._label = None
        self._last_draw = 0.0
        self._last_tenth = -1

    def update(self, label, done, total=None):
        """Report that `done` of `total` (if known) units of stage `label` are finished."""
        if label != self._label:
            self._label, self._last_tenth = label, -1
        finished = total is not None and done >= total
        if self.interactive:
            now = time.monotonic()
            if finished or now - self._last_draw >= self.min_interval:
                self._last_draw = now
                self._write("\r" + self._line(label, done, total), finished)
            return
        tenth = int(10 * done / total) if total else done // 1000
        if finished or tenth > self._last_tenth:
            self._last_tenth = tenth
            self._write(self._line(label, done, total), True)

    def track(self, label, iterable, total=None):
        """Yield from `iterable`, reporting each item as done."""
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)
        done = 0
        self.update(label, 0, total)
        for item in iterable:
            yield item
            done += 1
            self.update(label, done, total)
        if total is None or done < total:
            self.update(label, done, done)

    def callback(self, label, total=None):
        """A function `f(done, total=None)` for code that reports progress itself."""

        def report(done, total_now=None):
            self.update(label, done, total_now if total_now is not None else total)

        return report

    def done(self, summary):
        """Print the closing one-line summary, with the time taken."""
        seconds = time.monotonic() - self.started
        self._write(f"{summary} ({seconds:.1f} s)", True)

    def _line(self, label, done, total):
        if not total:
            return f"  {label}: {done:,}"
        filled = int(self.width * min(done, total) / total)
        bar = "#" * filled + "." * (self.width - filled)
        return f"  {label:<20} [{bar}] {done:,}/{total:,}"

    def _write(self, text, newline):
        text += "\n" if newline else ""
        if hasattr(self.stream, "ending"):  # Django's OutputWrapper adds its own newline
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush:
            flush()
