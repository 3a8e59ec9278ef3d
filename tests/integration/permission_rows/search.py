"""Permission matrix rows of search (issue 11): the reports and synonyms need
manage_search (content editors); the search API is public to read."""

from tests.helpers.matrix import PUBLIC_READ, allowed

ROWS = {
    "site_search-dashboard:reports": allowed("editor"),
    "site_search-dashboard:synonym-delete": allowed("editor"),
    "site_search-api:search": PUBLIC_READ,
    "site_search-api:suggest": PUBLIC_READ,
}
