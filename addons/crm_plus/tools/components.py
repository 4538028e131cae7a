"""Connected components (union-find): records sharing any key are one, transitively.

The duplicate scan groups its scored pairs with it, the import groups the rows of a file with it: a row
sharing a phone with a second row and an e-mail with a third joins both, whatever the order of the rows.
"""

__all__ = ["DisjointSet", "key_components", "pair_components"]


class DisjointSet:
    """Union-find over hashable items, with path halving; items are added on first sight."""

    def __init__(self):
        self.parent = {}

    def find(self, item):
        parent = self.parent
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a, b):
        """Join the sets of ``a`` and ``b``; the smaller root stays the root (stable results)."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            if root_b < root_a:
                root_a, root_b = root_b, root_a
            self.parent[root_b] = root_a
        return root_a


def key_components(key_lists):
    """Group the items of ``key_lists`` (item index -> iterable of hashable keys) that share a key.

    Returns a list of components, each a sorted list of item indexes, ordered by their first item; an item
    without keys is a component of its own.
    """
    sets = DisjointSet()
    first_with_key = {}
    for index, keys in enumerate(key_lists):
        sets.find(index)
        for key in keys:
            other = first_with_key.setdefault(key, index)
            if other != index:
                sets.union(other, index)
    groups = {}
    for index in range(len(key_lists)):
        groups.setdefault(sets.find(index), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])


def pair_components(pairs):
    """Connected components of the graph whose edges are ``pairs``: {root: set of members}."""
    sets = DisjointSet()
    for a, b in pairs:
        sets.union(a, b)
    groups = {}
    for item in list(sets.parent):
        groups.setdefault(sets.find(item), set()).add(item)
    return groups
