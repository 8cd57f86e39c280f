"""Plain text as a site sends it (summarizer/text/plaintext.py): the header, boxes, captions,
teasers and promos a site's innerText holds, told from the body by shape and position."""

from __future__ import annotations

import pytest

from summarizer import Summarizer
from summarizer.errors import InputError
from summarizer.text import prepare
from summarizer.text.furniture import glued_headline
from tests.summarizer.text.test_furniture import BODY

LABELS = ["Most read", "Storm warnings for the weekend", "Bridge closed", "Sport", "Weather"]


REST = [
    "Farmers in the lowlands counted their losses as fields stayed under water for days.",
    "Schools in two districts stayed closed while buses could not reach the villages.",
    "Volunteers filled sandbags through the night outside the town hall and the church.",
    "Insurers expect claims to exceed those of the last great flood twenty years ago.",
    "The weather service said the coming weekend should bring the first dry days in weeks.",
    "Rail lines between the two largest cities of the region reopened on Thursday morning.",
    "Shops along the river front began to clear mud from their floors and their cellars.",
    "The army sent boats and trucks to the villages that the roads could no longer reach.",
    "Doctors warned residents not to drink tap water until the wells had been tested again.",
    "A parliamentary inquiry into the state of the old flood walls will open next month.",
]


def test_a_small_box_of_prose_between_label_runs_is_not_the_body():
    # A survey or newsletter box before the article, cut off from it by a list of related
    # headlines: its two prose lines would otherwise start the body.
    rendered = "\n".join(
        [
            "Home",
            "World",
            "Something new here?",
            "Tell us what you think of our new page by taking a short survey.",
            *LABELS,
            *BODY,
            *LABELS,
            "Get the latest stories delivered to your inbox.",
            *LABELS,
        ]
    )
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    kinds = {block.text: block.kind for block in doc.blocks}
    assert kinds["Tell us what you think of our new page by taking a short survey."] != "paragraph"


def test_an_article_cut_by_a_related_links_box_keeps_its_lead():
    # The article's first paragraphs, then a box of related headlines, then the rest: the
    # first section is the article's start, not a box, though it is the smaller part.
    lead = [f"{BODY[0]} {BODY[1]}", f"{BODY[2]} {BODY[3]}"]
    paragraphs = [" ".join(REST[i : i + 2]) for i in range(0, len(REST), 2)]
    doc = prepare(
        "\n".join(["Floods close roads", *lead, *LABELS, *paragraphs]), input_format="text"
    )
    assert doc.sentences == [*BODY, *REST]


def test_a_sidebar_quote_far_above_the_article_is_not_its_start():
    # A sidebar's quote of two prose lines, then labels, a one-line teaser, labels, and only
    # then the article: the quote's section is not next to the article, so it is a box.
    quote = [f"{BODY[0]} {BODY[1]}", f"{BODY[2]} {BODY[3]}"]
    paragraphs = [" ".join(REST[i : i + 2]) for i in range(0, len(REST), 2)]
    rendered = "\n".join(
        ["Home", "World", *quote, *LABELS, "Is this the wettest year?", *LABELS, *paragraphs]
    )
    assert prepare(rendered, input_format="text").sentences == REST


def test_a_standfirst_shown_again_after_the_byline_is_not_body():
    # The teaser under the headline, then author and date labels, then the same teaser again
    # above the first paragraph (as some templates render it twice).
    teaser = "What the week of rain means for the valleys, and what comes next for them."
    header = ["Floods close roads", teaser, "Author:", "Jane Doe", "Published:", "Nov 18, 2019"]
    rendered = "\n".join([*header, teaser, *BODY])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY


def test_a_caption_closed_by_a_credit_without_parentheses_is_not_body():
    caption = (
        "Residents carry their belongings through the water that covers a street in the centre "
        "of York on Tuesday, November 19, 2019. EXAMPLE/Jane Doe"
    )
    rendered = "\n".join(["Floods close roads", BODY[0], caption, *BODY[1:]])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert {block.text: block.kind for block in doc.blocks}[caption] == "caption"


def test_author_cards_before_the_article_are_not_body():
    # Each author's card: name, a one-line bio, the paper's initials with a stop. The initials
    # repeat; they must not be skipped like a caption, or the last bio joins the body.
    first = ["Jane Doe", "Reporter for the weather desk.", "EXM.", "Share"]
    second = ["John Roe", "Editor of the city pages at the Example Times.", "EXM."]
    rendered = "\n".join(["Floods close roads", *first, *second, *BODY])
    assert prepare(rendered, input_format="text").sentences == BODY


def test_a_standfirst_above_the_lead_picture_is_not_body():
    # Headline, section and date labels, the standfirst, then the lead picture's caption with
    # its credit, then the body: the standfirst is not the article's first paragraph.
    standfirst = "Rain has fallen for a week, and the rivers of the north are still rising fast."
    caption = (
        "Residents of York carry what they could save through a flooded street in the old town "
        "on Tuesday.Photograph: Jane Doe/Example Photos"
    )
    header = ["World", "11.19.2019 10:09 AM", "Floods close roads across the north"]
    rendered = "\n\n".join([*header, standfirst, caption, *BODY])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert {block.text: block.kind for block in doc.blocks}[standfirst] == "standfirst"
    # Under a headline alone, the line above a picture is the first paragraph.
    headline_only = "\n\n".join([header[-1], BODY[0], caption, *BODY[1:]])
    assert prepare(headline_only, input_format="text").sentences == BODY


def test_headlines_glued_to_their_teasers_are_not_body():
    # Teaser cards render as "Title Without A StopTeaser sentence." on one line, and a name's
    # hover card puts its text inside the lead ("York Mayor Jane SmithJane Ann SmithMayor of ...").
    cards = [
        "Bridge Closed After Storm Damages Its PillarsThe old bridge will stay shut for a month "
        "while engineers check every pillar, officials said.",
        "School Buses Return To Three Valleys On MondayBuses will run again on all routes from "
        "Monday, the county said in a statement.",
    ]
    hover = (
        "York Mayor Jane SmithJane Ann SmithMayor of York since 2015 More said on Tuesday the city "
        "would rebuild the walls."
    )
    rendered = "\n".join(["Floods close roads", "Latest Headlines", *cards, hover, *BODY])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    # Brand names in prose ("the PlayStation team") are not glue: the words before them are
    # not a headline.
    prose = "The game was made by the PlayStation team in a small studio in the north of York."
    assert not glued_headline(prose) and glued_headline(cards[0]) and glued_headline(hover)


def test_a_byline_with_a_clock_time_and_a_year_is_not_body():
    # A fact-check header: the claim, its speaker, the question, then the byline with its
    # time. The byline ends with a stop and has few digits, but it is no sentence of the body.
    byline = "By Jane Doe and John Roe on Monday, November 18th, 2019 at 11:08 a.m."
    rendered = "\n\n".join(
        [
            '"Three valleys flood every winter."',
            "— John Roe on Sunday, October 13th, 2019 in a radio interview",
            "Do the three valleys flood every winter?",
            byline,
            *BODY,
        ]
    )
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert {block.text: block.kind for block in doc.blocks}[byline] == "dateline"
    # A body sentence with a time but no year stays.
    assert prepare(f"{BODY[0]}\n\nThe first train left at 11:08 on Monday.").sentences[1:] == [
        "The first train left at 11:08 on Monday."
    ]


def test_a_question_headline_under_the_menu_is_not_body():
    # The whole <body>'s text: menu labels, a dateline, the headline (a question: its mark
    # makes it read as prose), the standfirst, the byline, then the article.
    headline = "Will the river walls hold for another winter?"
    standfirst = "Engineers are checking every wall in the three valleys before the first storms."
    rendered = "\n".join(
        [
            "Home",
            "News",
            "Weather",
            "Updated: Nov 20, 2019 01:41 PM",
            headline,
            standfirst,
            "Jane Doe @janedoe",
            "",
            *BODY,
        ]
    )
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    kinds = {block.text: block.kind for block in doc.blocks}
    assert kinds[headline] == "headline" and kinds[standfirst] == "standfirst"
    summary = Summarizer.load("extractive").summarize(rendered, length="short", input_format="text")
    assert summary.sentences[0] in BODY
    # A question that opens the article's prose run, with no label above it, stays body.
    opening = "\n\n".join([headline, *BODY])
    assert prepare(opening, input_format="text").sentences == [headline, *BODY]
    # So does a question longer than a headline after the headline: a paragraph asking it.
    long_question = (
        "Why did the old walls hold this week when the same storm broke the new ones in the "
        "next valley, only a few miles to the south?"
    )
    after_headline = "\n".join(["Floods close roads", long_question, *BODY])
    assert long_question in prepare(after_headline, input_format="text").sentences


def test_a_video_teaser_between_the_share_buttons_and_the_lead_is_not_body():
    # Section, date, headline, byline, share buttons, then a video box (its title, its
    # description) above the article: the lead restates the headline, the teaser its own title.
    headline = "Floods close roads across the north after a week of rain"
    title = "Storm chasers film the flood in York"
    teaser = "Storm chasers film the flood as it reaches the old town of York on Monday night."
    header = ["Weather", "Published 2 hours ago", headline, "By Jane Doe | Example News"]
    buttons = ["Facebook", "Twitter", "Print", "Email", "close", "Video"]
    rendered = "\n".join([*header, *buttons, title, "", teaser, "", "\n\n".join(BODY)])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert {block.text: block.kind for block in doc.blocks}[teaser] == "furniture"
    summary = Summarizer.load("extractive").summarize(rendered, length="short", input_format="text")
    assert summary.sentences == [BODY[0]]
    # Right under the header, with no run of labels between, the line is the first paragraph.
    close_by = "\n".join([*header, title, "", teaser, "", "\n\n".join(BODY)])
    assert prepare(close_by, input_format="text").sentences == [teaser, *BODY]


def test_a_long_caption_over_a_name_and_agency_credit_is_not_body():
    # A wire photo's caption names everyone, the place and the date (50 words), and its
    # credit is names between bars: no slash, no "Credit:" label.
    caption = (
        "Jane Doe, the mayor of York and the head of the county's flood office, centre in a "
        "blue coat, walks past a row of sandbags laid by volunteers along the river wall in the "
        "old town of York, in the north of the country, on Tuesday, Nov. 19, 2019."
    )
    credit = "John Roe | Example Photos | Agency Images"
    header = ["Weather", "Floods close roads", "By Jane Doe"]
    lead = "\n\n".join(BODY[:2])
    rendered = "\n".join([*header, "", lead, "", caption, credit, "", "\n\n".join(BODY[2:])])
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert {block.text: block.kind for block in doc.blocks}[caption] == "caption"
    # A paragraph longer than any caption stays body, whatever line follows it.
    paragraph = f"{caption} She said the walls would be raised by a metre before next winter."
    longer = rendered.replace(caption, paragraph)
    assert paragraph in prepare(longer, input_format="text").text


def test_key_points_listed_under_a_label_are_not_body():
    # "Key points": one-sentence items one a line, then the article, whose paragraphs are set
    # apart by blank lines. The items restate the article; they are not its first paragraphs.
    points = [
        "The river walls held through a week of rain in all three valleys of the north.",
        "Thousands of people left their homes as the water rose on Tuesday night.",
    ]
    header = ["Weather", "Floods close roads", "Jane Doe", "KEY POINTS"]
    rendered = "\n".join([*header, *points]) + "\n\n" + "\n\n".join(BODY)
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    assert all({b.text: b.kind for b in doc.blocks}[p] == "standfirst" for p in points)
    # When the paragraphs themselves are one a line, the first lines are the article's own.
    one_a_line = "\n".join([*header, *points, *BODY])
    assert prepare(one_a_line, input_format="text").sentences == [*points, *BODY]


def test_a_promo_title_shouting_in_capitals_is_not_body():
    # A promo box inside the body: its title, then its pitch, both calling out.
    promo = "THE DAILY BRIEF -- NOW AS A PODCAST!"
    pitch = "Every morning our editors read the news of the north for you. Listen for free!"
    paragraphs = [BODY[0], BODY[1], promo, pitch, BODY[2], BODY[3]]
    rendered = "\n".join(["Weather", "Floods close roads", ""]) + "\n\n".join(paragraphs)
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY
    kinds = {block.text: block.kind for block in doc.blocks}
    assert kinds[promo] == kinds[pitch] == "furniture"
    # A shouting button inside the body: the paragraph under it, ending as prose, stays.
    button = rendered.replace(pitch + "\n\n", "")
    assert prepare(button, input_format="text").sentences == BODY
    # A subheading in capitals that asks a question stays with the paragraphs under it.
    subhead = "WHERE WILL THE WATER GO NEXT?"
    asked = button.replace(promo, subhead)
    assert prepare(asked, input_format="text").sentences == [*BODY[:2], subhead, *BODY[2:]]


@pytest.mark.hostile(
    "library",
    "plain text whose every line is a label (a menu, a byline and a date) is refused with a "
    "clear InputError, as such an HTML page is, never summarized by one of its labels",
)
@pytest.mark.parametrize(
    "text",
    [
        "Home\nWorld\nBusiness\nSport\nContact us",
        "By Ann Example\nNovember 3, 2019 at 9:14 am",
        "Трамп обещает новые пошлины\nЧитать далее\nПодписаться",
    ],
    ids=["menu", "byline", "cyrillic-labels"],
)
def test_plain_text_of_labels_only_is_refused(text):
    with pytest.raises(InputError, match="no article text"):
        prepare(text)


@pytest.mark.parametrize(
    "text",
    ["The council voted on Monday", "City budget\nThe council voted on Monday to raise taxes."],
)
def test_a_sentence_without_its_stop_or_under_a_headline_is_still_an_article(text):
    assert prepare(text).sentences
