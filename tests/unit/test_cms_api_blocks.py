"""The schema's block components and the StreamField's blocks must not drift apart: a block
added to the page body without its value serializer would reach apps undocumented."""

from __future__ import annotations

from cms.api_blocks import BLOCKS
from cms.blocks import ContentStreamBlock


def test_every_streamfield_block_has_its_typed_component_in_the_api_schema():
    assert set(BLOCKS) == set(ContentStreamBlock().child_blocks)
