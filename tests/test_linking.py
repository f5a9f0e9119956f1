"""The linker and the names the bundled KB derives: full names over surnames, short names, current holders."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, wikidata_record, write_kb

from kg.article import Article
from kg.extract import extract_records
from kg.kb import open_kb
from kg.records import Extraction

VERIFIED = ROOT.parent / "shared" / "wikidata" / "verified.tsv"


def run(text: str, lang: str = "id", kb: Path | None = None) -> Extraction:
    return extract_records(Article.from_text(text, lang), kb_path=kb)


def links(extraction: Extraction) -> list[tuple[str, str]]:
    return [(m.text, m.entity_key) for m in extraction.mentions]


def build_kb_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "scripts" / "build_kb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_kb", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def namesakes_kb(tmp_path: Path) -> Path:
    return write_kb(
        tmp_path / "namesakes.jsonl",
        [
            # a little-known full-name match, and a well-known namesake whose description the article echoes
            wikidata_record("Q9999990101", "Carmen Moretti", p31="Q5", sitelinks=2, description="mayor of Verona"),
            wikidata_record(
                "Q9999990102", "Aldo Moretti", p31="Q5", sitelinks=200, description="president of Juventus"
            ),
            wikidata_record("Q9999990103", "Juventus", p31="Q43229", sitelinks=50),
        ],
    )


def test_full_name_match_beats_namesakes_found_by_surname(namesakes_kb: Path) -> None:
    text = "Carmen Moretti menonton laga Juventus kemarin. Moretti mengatakan timnya bermain baik."
    found = links(run(text, kb=namesakes_kb))
    assert found == [("Carmen Moretti", "Q9999990101"), ("Juventus", "Q9999990103"), ("Moretti", "Q9999990101")]


def test_surname_alone_still_links_with_context(namesakes_kb: Path) -> None:
    found = links(run("Laga Juventus ditonton Moretti, Senin.", kb=namesakes_kb))
    assert found == [("Juventus", "Q9999990103"), ("Moretti", "Q9999990102")]


def test_surname_of_a_full_name_the_kb_lacks_is_not_linked(namesakes_kb: Path) -> None:
    text = "Latihan Juventus dipimpin Paolo Moretti. Moretti mengatakan timnya siap."
    found = dict(links(run(text, kb=namesakes_kb)))
    assert "Q9999990102" not in found.values()
    found = dict(links(run("Laga Juventus berakhir imbang.\n\nPaolo Moretti melaporkan dari Turin.", kb=namesakes_kb)))
    assert "Q9999990102" not in found.values()


def test_surname_running_on_into_a_longer_name_is_not_linked(namesakes_kb: Path) -> None:
    (mention, *_) = run("Rapat itu dipimpin oleh Moretti Bianchi.", kb=namesakes_kb).mentions
    assert mention.entity_key != "Q9999990102"
    found = links(run("Juventus menggelar rapat yang dipimpin Moretti Senin lalu.", kb=namesakes_kb))
    assert found == [("Juventus", "Q9999990103"), ("Moretti", "Q9999990102")]


def test_indonesian_short_names_link_a_named_mention() -> None:
    found = links(run("Wakil Ketua DPR Dasco mengatakan rapat paripurna digelar besok."))
    assert found == [("DPR", "Q2670027"), ("Dasco", "Q69711711")]
    text = "Wapres Gibran Rakabuming meninjau pasar di Solo. Menurut Gibran, harga beras stabil."
    assert links(run(text)) == [
        ("Gibran Rakabuming", "Q18342893"),
        ("Solo", "Q4803"),
        ("Gibran", "Q18342893"),
    ]


def test_malay_and_arabic_names_go_by_the_given_name() -> None:
    text = "Perdana Menteri Malaysia Anwar Ibrahim tiba di Jakarta. Anwar mengatakan kerja sama akan diperluas."
    assert links(run(text)) == [
        ("Malaysia", "Q833"),
        ("Anwar Ibrahim", "Q299574"),
        ("Jakarta", "Q3630"),
        ("Anwar", "Q299574"),
    ]
    text = "Menlu Arab Saudi Pangeran Faisal bin Farhan tiba di Riyadh. Faisal menyambut delegasi itu."
    assert links(run(text)) == [
        ("Arab Saudi", "Q851"),
        ("Faisal bin Farhan", "Q72099398"),
        ("Riyadh", "Q3692"),
        ("Faisal", "Q72099398"),
    ]


def test_korean_names_go_by_the_family_name_and_either_spelling() -> None:
    text = "Presiden Korea Selatan Yoon Suk Yeol bertemu Perdana Menteri Han Duck-soo. Yoon mengatakan ekonomi tumbuh."
    assert links(run(text)) == [
        ("Korea Selatan", "Q884"),
        ("Yoon Suk Yeol", "Q16090635"),
        ("Han Duck-soo", "Q356666"),
        ("Yoon", "Q16090635"),
    ]


def test_roman_numerals_in_capitals_are_not_people() -> None:
    found = dict(links(run("Siswa kelas XI mengikuti ujian. Presiden Xi Jinping tiba. Xi mengatakan hal itu.")))
    assert found.get("XI", "").startswith("Q") is False
    assert found["Xi"] == "Q15031"


def test_province_short_forms_and_indonesian_region_names() -> None:
    kb = open_kb()
    for name, qid in [
        ("Sumut", "Q2140"),
        ("Jabar", "Q3724"),
        ("Jatim", "Q3586"),
        ("Sulsel", "Q5078"),
        ("Kaltim", "Q3899"),
        ("NTT", "Q5061"),
        ("DIY", "Q3741"),
        ("Kepri", "Q2223"),
        ("Afrika", "Q15"),
        ("Eropa", "Q46"),
        ("Asia Tenggara", "Q11708"),
        ("Timur Tengah", "Q7204"),
        ("Laut China Selatan", "Q37660"),
        ("Korsel", "Q884"),
        ("Palestina", "Q219060"),
        ("Negeri Sakura", "Q17"),
        ("Negeri Paman Sam", "Q30"),
    ]:
        assert [c.qid for c in kb.candidates(name)] == [qid], name


def test_ministries_parties_and_international_bodies_go_by_their_indonesian_forms() -> None:
    kb = open_kb()
    for name, qid in [
        ("Kementerian Keuangan", "Q12490741"),
        ("Kemenkeu RI", "Q12490741"),
        ("Kementerian Pertahanan Republik Indonesia", "Q12490750"),
        ("Indonesian Ministry of Defence", "Q12490750"),
        ("Ministry of Defence of Indonesia", "Q12490750"),
        ("Partai Gerindra", "Q4261459"),
        ("PDI P", "Q1186306"),
        ("Partai Demokrat", "Q1186227"),
        ("APEC", "Q170481"),
        ("OKI", "Q47543"),
        ("Majelis Umum PBB", "Q47423"),
        ("Gerakan Non-Blok", "Q83201"),
        ("Asean", "Q7768"),
    ]:
        assert [c.qid for c in kb.candidates(name)] == [qid], name
    # any country has a Ministry of Defence and a Democratic Party: the bare names name none of them
    assert kb.candidates("Ministry of Defence") == []
    assert kb.candidates("Democratic Party") == []
    found = links(run("Britain's Ministry of Defence said the Democratic Party had no comment.", "en"))
    assert ("Ministry of Defence", "ORG:ministry-of-defence") in found


def test_derived_surnames_skip_patronyms_regnal_names_and_common_words() -> None:
    kb = open_kb()
    assert [c.qid for c in kb.candidates("Ri")] == ["Q252"]  # not North Korea's Ri Yong-gil
    assert kb.candidates("Yang") == []  # "yang" is an Indonesian word, not Philemon Yang
    assert kb.candidates("Jordan") == [c for c in kb.candidates("Jordan") if c.qid != "Q57464"]
    assert [(c.qid, c.name_kind) for c in kb.candidates("Marcos Jr")] == [("Q983324", "alias")]
    assert [(c.qid, c.name_kind) for c in kb.candidates("Sharaa")] == [("Q7934206", "surname")]
    assert all(c.type is not None and c.type.value != "PER" for c in kb.candidates("Salman"))


def test_sitting_office_holders_rank_above_former_ones() -> None:
    kb = open_kb()
    assert [c.qid for c in kb.candidates("Li")] == ["Q4414390", "Q18111"]  # Li Qiang, then Li Keqiang
    prabowo, jokowi = kb.get("Q2107268"), kb.get("Q3318231")
    assert prabowo is not None and jokowi is not None
    assert prabowo.popularity > jokowi.popularity


def test_a_title_without_organization_takes_the_office_the_kb_records_for_its_holder() -> None:
    text = "Presiden Prabowo Subianto menerima Perdana Menteri Sanae Takaichi. Menlu Sugiono ikut mendampingi."
    roles = [(r.title, r.holder_key, r.position_qid, r.of_key) for r in run(text).roles]
    assert roles == [
        ("Presiden", "Q2107268", "Q11755916", None),
        ("Perdana Menteri", "Q1705028", "Q274948", None),
        ("Menlu", "Q96987568", "Q19827130", None),
    ]
    text = "Menteri Pertanian Amran Sulaiman meninjau sawah. Menko Perekonomian Airlangga Hartarto ikut hadir."
    roles = [(r.title, r.holder_key, r.position_qid, r.position_label) for r in run(text).roles]
    assert roles == [
        ("Menteri Pertanian", "Q19752868", "Q108298207", "Minister of Agriculture of Indonesia"),
        ("Menko Perekonomian", "Q12471140", "Q108300303", "Coordinating Minister for Economic Affairs of Indonesia"),
    ]
    # the KB records no defence office for him: a title is not an office the KB does not know he held
    (role,) = run("Menhan Prabowo Subianto menghadiri rapat.").roles
    assert (role.holder_key, role.position_qid) == ("Q2107268", None)


def test_office_year_reads_the_verified_roles() -> None:
    office_year = build_kb_module().office_year
    assert (
        office_year("President of Indonesia (2024-10-20 – , in office as of 2026-01-01; Wikidata P35 snapshot)") == 2026
    )
    assert office_year("Minister of Finance of Indonesia (2005-2010; 2016- , in office as of 2022)") == 2022
    assert office_year("Menteri Luar Negeri (Minister of Foreign Affairs of Indonesia, 2024- )") == 2024
    assert office_year("Wakil Ketua DPR RI (Deputy Speaker, 2024-2029)") == 2026
    assert office_year("Prime Minister (United Kingdom) (2010-2016)") is None
    assert office_year("") is None


@pytest.mark.skipif(not VERIFIED.is_file(), reason="needs ../shared/wikidata/verified.tsv")
def test_bundled_kb_is_built_from_the_verified_list_and_aliases() -> None:
    module = build_kb_module()
    built = module.build(VERIFIED, ROOT / "kg" / "kb" / "aliases.tsv")
    kb = open_kb()
    assert kb.stats()["entities"] == len(built)
    for entity in built:
        held = kb.get(entity.qid)
        assert held is not None and (held.label, held.popularity) == (entity.label, entity.popularity), entity.qid


def test_context_reads_description_words_inside_brackets(tmp_path: Path) -> None:
    kb = write_kb(
        tmp_path / "brackets.jsonl",
        [
            wikidata_record("Q9999990111", "Dewi Lestari", p31="Q5", sitelinks=10, description="Minister (Indonesia)"),
            wikidata_record("Q9999990112", "Dewi Lestari", p31="Q5", sitelinks=10, description="striker (Persija)"),
            wikidata_record("Q9999990113", "Persija", p31="Q43229", sitelinks=10),
        ],
    )
    found = links(run("Dewi Lestari kembali mencetak gol untuk Persija.", kb=kb))
    assert found == [("Dewi Lestari", "Q9999990112"), ("Persija", "Q9999990113")]
