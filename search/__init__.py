"""One search over goods, services and help (issue 11).

App label site_search: Oscar's forked search app (shop/search) keeps the label "search".
"""
