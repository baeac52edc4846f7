"""Retyping an organisation NER found needs evidence (issue 14): article-level votes, company cues. Short texts of
our own."""


def classes(doc, name):
    return {m.label_ for m in doc.spans["kg_mentions"] if m.text == name}


def test_a_company_named_like_its_chairman_stays_a_company(nlp):
    doc = nlp("Ford gains from finance\n\nFord, the US car company, reported a profit on Tuesday. Ford said its sales "
              "rose. Chairman Bill Ford said the results were strong. Analysts expect Ford to cut jobs.")
    assert classes(doc, "Ford") == {"Organisation"}
    assert classes(doc, "Bill Ford") == {"Person"}
    ford = {m._.kg_entity for m in doc.spans["kg_mentions"] if m.text == "Ford"}
    assert len(ford) == 1 and ford != {m._.kg_entity for m in doc.spans["kg_mentions"] if m.text == "Bill Ford"}


def test_what_only_a_company_has_makes_a_name_an_organisation(nlp):
    doc = nlp("Harlow buys rival\n\nSwiss drugmaker Harlow has bought a rival for $2bn. Harlow said the deal would add "
              "to profits. Harlow's shares rose 2%.")
    assert classes(doc, "Harlow") == {"Organisation"}


def test_a_surname_still_takes_the_full_names_class(nlp):
    doc = nlp("Kelly Sotherton won bronze in Athens. Sotherton said she was delighted.")
    assert classes(doc, "Sotherton") == {"Person"}


def test_the_pronoun_after_a_subject_says_whether_it_is_a_person(nlp):
    from kg.pipeline.cues import subject_class

    def first(text):
        doc = nlp(text)
        return subject_class(doc.spans["kg_mentions"][0])

    assert first("Nair said that she jumped at the chance.") == "Person"
    assert first("Ford said its sales rose.") == "not a person"
    assert first("Microsoft have said that they will appeal.") == "Organisation"  # a singular name, a plural verb
    assert first('Klinsmann said: "It will be hard for him."') is None  # a quotation: not about the subject


def test_a_courtesy_title_makes_a_person_of_a_place_name(nlp):
    doc = nlp("Officials said Mr Houston knew nothing of his views. Mr Houston may be interviewed by the party.")
    assert [(m.text, m.label_) for m in doc.spans["kg_mentions"]] == [("Mr Houston", "Person")] * 2


def test_a_titled_person_whose_name_ends_like_a_body_or_an_event_stays_a_person(nlp):
    doc = nlp("The drama stars actress Nathalie Press. The song was written for actress Doris Day.")
    assert {m.text: m.label_ for m in doc.spans["kg_mentions"]} == {"Nathalie Press": "Person", "Doris Day": "Person"}


def test_a_relative_clause_says_whether_a_name_is_a_person(nlp):
    from kg.pipeline.cues import relative_class

    def of(text, name):
        doc = nlp(text)
        return relative_class(next(m for m in doc.spans["kg_mentions"] if m.text == name))

    assert of("He met Smith, who was angry.", "Smith") == "Person"
    assert of("You are with Platform Z, which uses custodian X.", "Platform Z") == "not a person"
    assert of("It starred Eric Clapton, Keane and Jools Holland, which raised $1m.", "Jools Holland") is None  # a list
