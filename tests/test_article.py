"""The article text: debris and furniture removed, excerpts located, sentences split by line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.article import ArticleFormatError, ArticleText, parse_article

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
SHIPPED = yaml.safe_load((REPO / "knowledge" / "nvidia-huang-china-ai.yaml").read_text("utf-8"))
MARKER = SHIPPED["article"]["body_ends_before"]
DEBRIS = tuple(SHIPPED["article"]["debris"])
RAW = SEED.read_text(encoding="utf-8")


def raw_line_of(needle: str) -> int:
    """The 1-based line of the seed file that holds `needle`."""
    for number, line in enumerate(RAW.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the seed file")


@pytest.fixture(scope="module")
def article() -> ArticleText:
    return parse_article(RAW, MARKER, DEBRIS)


def test_listed_debris_is_removed_leaving_the_names(article: ArticleText) -> None:
    assert "NVIDIANVDA--" in RAW
    texts = [paragraph.text for paragraph in article.paragraphs]
    assert not any("--" in text for text in texts)
    assert "NVIDIA CEO Jensen Huang" in article.paragraph(raw_line_of("NVIDIANVDA--")).text
    assert (
        "competitors like AMD, Huawei, and Qualcomm"
        in article.paragraph(raw_line_of("QualcommQCOM--")).text
    )
    assert "(e.g., Amazon, Google)" in article.paragraph(raw_line_of("AmazonAMZN--")).text


def test_page_furniture_from_body_ends_before_on_is_cut(article: ArticleText) -> None:
    furniture = ("Comments", "No comments yet", "Latest Articles", "Stay ahead of the market")
    for paragraph in article.paragraphs:
        assert not any(piece in paragraph.text for piece in furniture), paragraph
    assert article.paragraphs[-1].line == raw_line_of("redefining computing")


def test_marker_missing_from_the_article_raises() -> None:
    with pytest.raises(ArticleFormatError, match="no line of the article starts with"):
        parse_article(RAW, "Expert analyses of nothing", DEBRIS)


def test_unlisted_ticker_debris_raises_naming_its_line() -> None:
    debris = tuple(piece for piece in DEBRIS if piece != "QCOM--")
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(RAW, MARKER, debris)
    message = str(caught.value)
    assert f"line {raw_line_of('QualcommQCOM--')}" in message
    assert "'QCOM--'" in message
    assert "debris list" in message


def test_unlisted_ticker_glued_to_a_name_is_reported_as_the_ticker_alone() -> None:
    debris = tuple(piece for piece in DEBRIS if piece != "NVDA--")
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(RAW, MARKER, debris)
    assert "'NVDA--'" in str(caught.value)


def test_locate_matches_straight_quotes_against_curly_ones(article: ArticleText) -> None:
    location = article.locate("NVIDIA's focus on the Chinese market")
    assert location is not None
    assert location.line == raw_line_of("focus on the Chinese market")
    assert article.display(location) == "NVIDIA’s focus on the Chinese market"


def test_locate_matches_curly_quotes_against_straight_ones(article: ArticleText) -> None:
    location = article.locate("China’s AI industry can be divided into a three-layer architecture")
    assert location is not None
    assert location.line == raw_line_of("China's AI industry can be divided")


def test_locate_ignores_extra_whitespace(article: ArticleText) -> None:
    location = article.locate("  Huang   introduced\n the newly  released\tRTX Pro GPU ")
    assert location is not None
    assert article.display(location) == "Huang introduced the newly released RTX Pro GPU"


def test_locate_returns_none_for_text_not_in_the_article(article: ArticleText) -> None:
    assert article.locate("Huang introduced the newly released H200 GPU") is None


def test_locate_returns_none_for_text_spanning_two_paragraphs(article: ArticleText) -> None:
    spanning = "customer demand remains strong. Huang introduced the newly released RTX Pro GPU"
    assert article.locate("customer demand remains strong.") is not None
    assert article.locate(spanning) is None


def test_is_quoted_for_words_inside_quotation_marks(article: ArticleText) -> None:
    location = article.locate("redefining computing")
    assert location is not None
    assert article.is_quoted(location)


def test_is_quoted_false_for_reported_speech(article: ArticleText) -> None:
    location = article.locate("Huang highlighted that its fundamental contribution lies in")
    assert location is not None
    assert not article.is_quoted(location)


def test_is_quoted_false_across_two_separate_quotations(article: ArticleText) -> None:
    location = article.locate('company globally" to becoming the "highest market-cap')
    assert location is not None
    assert not article.is_quoted(location)


def test_sentence_keeps_us_abbreviation_inside(article: ArticleText) -> None:
    texts = [sentence.text for sentence in article.sentences]
    assert (
        "He also mentioned that the resumption of H20 sales in China depends on U.S. government "
        "licensing approval, and while supply chain reactivation will take time, customer demand "
        "remains strong."
    ) in texts
    assert not any(text.endswith("U.S.") for text in texts)


def test_sentence_keeps_us_abbreviation_before_a_capitalised_word() -> None:
    text = parse_article(
        "Talks with the U.S. Commerce Department ended. Then more.\nEND", "END", ()
    )
    assert [s.text for s in text.sentences] == [
        "Talks with the U.S. Commerce Department ended.",
        "Then more.",
    ]


def test_headings_are_sentences_of_their_own(article: ArticleText) -> None:
    heading = "New RTX Pro GPU Targets Digital Twins, Autonomous Driving, and Robotics"
    matching = [sentence for sentence in article.sentences if sentence.text == heading]
    assert [sentence.line for sentence in matching] == [raw_line_of(heading)]


def test_sentences_split_within_a_paragraph(article: ArticleText) -> None:
    line = raw_line_of("It is designed for applications")
    texts = [sentence.text for sentence in article.sentences if sentence.line == line]
    assert len(texts) == 2
    assert texts[1].startswith("It is designed for applications")


def test_line_numbers_are_the_files_line_numbers() -> None:
    text = parse_article(
        "\n\nHeadline here\n\nFirst one. Second one.\n\nEND of body\nfooter", "END", ()
    )
    assert [(p.line, p.text) for p in text.paragraphs] == [
        (3, "Headline here"),
        (5, "First one. Second one."),
    ]
    assert [(s.line, s.text) for s in text.sentences] == [
        (3, "Headline here"),
        (5, "First one."),
        (5, "Second one."),
    ]


def test_shipped_sentence_lines_point_into_the_seed_file(article: ArticleText) -> None:
    lines = RAW.splitlines()
    for sentence in article.sentences:
        source_line = lines[sentence.line - 1]
        for piece in DEBRIS:
            source_line = source_line.replace(piece, "")
        assert sentence.text in " ".join(source_line.split())


def test_only_newlines_end_a_line_so_cited_lines_match_the_file() -> None:
    text = parse_article("Title\nOne\u2028still one.\nTwo.\nEND", "END", ())
    assert [(p.line, p.text) for p in text.paragraphs][-1] == (3, "Two.")
