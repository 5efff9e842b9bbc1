"""Insight for editors: what visitors read, search for and cannot find, counted without
tracking anyone, shown in the admin and turned into work.

- `counting`: per-day counters kept in each process and written in batches (no cookie,
  address, user agent or visitor identifier is ever stored);
- `middleware`: counts page views and searches, page-cache hits included;
- `promotions`: items editors pin to a query, first in search and type-ahead;
- `reports`, `charts`, `admin`: the dashboard (SVG charts, tables, CSV);
- `management/commands/insight_rollup.py`: old daily rows rolled up by month.
"""
