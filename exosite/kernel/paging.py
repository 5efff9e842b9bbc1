"""What Paginator needs of a result set it never slices (a kept page, a search's ranked
ids): its size."""


class Counted:
    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count
