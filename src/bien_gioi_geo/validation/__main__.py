"""Print the rule table of ``docs/rules.md``: ``python -m bien_gioi_geo.validation > docs/rules.md``."""

from . import rules_markdown

print(rules_markdown(), end="")
