"""A network page's search tags: its compact id, its family (one rule: concepts.family,
the spec's ``family`` field first), and the counts' names."""

from dataclasses import replace

from generator.pages.architectures import search_tags
from generator.specs import load_builtin


def test_a_plain_network_is_found_by_its_family():
    assert search_tags(load_builtin("vgg16")) == ["vgg16", "vgg", "flops", "macs"]
    assert search_tags(load_builtin("googlenet")) == ["googlenet", "inception", "flops", "macs"]


def test_a_variant_only_by_its_own_id():
    assert search_tags(load_builtin("vgg16-bn")) == ["vgg16bn", "flops", "macs"]


def test_a_spec_that_declares_its_family_is_tagged_with_it():
    mine = replace(load_builtin("resnet18"), id="mynet", family="resnet")
    assert search_tags(mine) == ["mynet", "resnet", "flops", "macs"]
