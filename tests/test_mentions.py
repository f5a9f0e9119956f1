"""Mention boundaries, datelines and credits, name forms: exact spans on texts written for these tests."""

from __future__ import annotations

from kg.article import Article
from kg.extract import extract_records
from kg.records import Extraction


def run(text: str, lang: str = "id") -> Extraction:
    return extract_records(Article.from_text(text, lang))


def spans(extraction: Extraction) -> list[tuple[str, int, int, str]]:
    return [(m.text, m.start, m.end, m.entity_key) for m in extraction.mentions]


def texts(text: str, lang: str = "id") -> list[str]:
    return [m.text for m in run(text, lang).mentions]


# --- datelines and credits -------------------------------------------------------------


def test_outlet_domain_then_city_dateline() -> None:
    text = "Warta Kota Hari Ini\n\nKABARNEWS.CO, Surabaya - Wali kota meninjau pasar yang terbakar pada pagi hari."
    extraction = run(text)
    assert spans(extraction)[:2] == [
        ("KABARNEWS.CO", 21, 33, "ORG:kabarnews-co"),
        ("Surabaya", 35, 43, "Q11462"),
    ]
    assert extraction.article.publisher_key == "ORG:kabarnews-co"
    assert extraction.article.location_key == "Q11462"


def test_domain_publisher_before_capital_city_is_not_swapped() -> None:
    info = run("Kabarpos.com, BANDUNG - Hujan deras mengguyur kota sejak sore.").article
    assert (info.publisher_key, info.location_key) == ("ORG:kabarpos-com", "Q10389")


def test_dateline_without_spaces_around_the_dash() -> None:
    assert texts("BERITAKITA.CO-Ketua panitia membuka acara di Surabaya pada pagi hari.")[0] == "BERITAKITA.CO"


def test_city_then_outlet_name_dateline() -> None:
    info = run("Medan, Warta News - Banjir merendam ratusan rumah warga sejak semalam.").article
    assert info.publisher_key == "ORG:warta-news"


def test_city_and_outlet_on_their_own_line() -> None:
    text = "Banjir Rendam Ratusan Rumah\n\nMedan, Warta Online\n\nBanjir merendam ratusan rumah warga sejak semalam."
    info = run(text).article
    assert (info.publisher_key, info.location_key) == ("ORG:warta-online", "Q5972")
    # a place and its province on a line are not a dateline with an outlet
    province = run("Banjir Rendam Ratusan Rumah\n\nBogor, Jawa Barat\n\nBanjir merendam rumah.")
    assert province.article.publisher_key is None


def test_capital_city_colon_dateline_and_agency_signoff() -> None:
    text = (
        "Minister upbeat on trade talks\n\nKUALA LUMPUR: The trade minister said talks with partners were going well "
        'and that a deal was near.\n\n"We are close," he said. – Bernama\n'
    )
    extraction = run(text, "en")
    assert spans(extraction)[0][:3] == ("KUALA LUMPUR", 32, 44)
    assert ("Bernama", 160, 167, "ORG:bernama") in spans(extraction)
    assert extraction.article.publisher_key == "ORG:bernama"


def test_headline_quoting_a_person_is_not_a_dateline() -> None:
    text = "Jokowi: Kita Harus Kerja Lebih Keras untuk Rakyat di Seluruh Negeri\n\nPresiden Jokowi berbicara di Bogor."
    assert run(text).article.location_key is None


def test_agency_then_city_line() -> None:
    text = "Talks resume\n\nReuters | Kuala Lumpur\nThe two sides met again on Monday to resume talks on the deal."
    extraction = run(text, "en")
    assert spans(extraction)[:2] == [
        ("Reuters", 14, 21, "Q130879"),
        ("Kuala Lumpur", 24, 36, "Q1865"),
    ]


def test_photo_credits_in_captions() -> None:
    text = (
        "Gubernur meninjau lokasi banjir di Bandung, Senin (10/10/2022). (Foto: Warta Online/Budi Santoso)\n\n"
        "Warga membersihkan rumah mereka. KABARPOS.COM/AGUS SALIM\n\n"
        "Relawan membagikan makanan. (Antara/Dewi Lestari)\n\n"
        "Hujan turun lagi sore itu."
    )
    found = [(text, key) for text, _, _, key in spans(run(text))]
    assert found == [
        ("Bandung", "Q10389"),
        ("Warta Online", "ORG:warta-online"),
        ("Budi Santoso", "PER:budi-santoso"),
        ("KABARPOS.COM", "ORG:kabarpos-com"),
        ("AGUS SALIM", "PER:agus-salim"),
        ("Antara", "ORG:antara"),
        ("Dewi Lestari", "PER:dewi-lestari"),
    ]


def test_english_photo_credits_name_the_photographer_first() -> None:
    text = (
        "Leaders meet in the capital. Photograph: Tom Baker/EPA\n\nThe talks lasted two hours. (AFP Photo)\n\n"
        "Officials shook hands afterwards. (Jane Doe/Pool Photo via AP)\n\nThe meeting ended at noon."
    )
    found = [text for text, *_ in spans(run(text, "en"))]
    assert found[:4] == ["Tom Baker", "EPA", "AFP", "Jane Doe"]


def test_bylines_under_the_headline_and_at_the_end() -> None:
    text = (
        "Banjir Rendam Ratusan Rumah di Pinggir Kota\n\nRina Kartika • 10 Oktober 2022 11:52\n\n"
        "Banjir merendam ratusan rumah warga sejak semalam.\n\n(Agus Salim)\n"
    )
    info = run(text).article
    assert info.author_keys == ("PER:rina-kartika", "PER:agus-salim")
    text = "Floods hit the city\n\nJohn Smith and Mary Jones (The Daily Star)\n\nFloods hit the city on Monday."
    info = run(text, "en").article
    assert info.author_keys == ("PER:john-smith", "PER:mary-jones")
    assert info.publisher_key == "ORG:the-daily-star"


# --- organizations and the people after them ---------------------------------------------


def test_two_headed_names_joined_by_dan_are_two_organizations() -> None:
    assert spans(run("Gugatan Partai Hijau dan Partai Pekerja ditolak hakim.")) == [
        ("Partai Hijau", 8, 20, "ORG:partai-hijau"),
        ("Partai Pekerja", 25, 39, "ORG:partai-pekerja"),
    ]


def test_a_known_person_ends_the_organization_before_it() -> None:
    text = "Ketua Umum Partai Maju Megawati Soekarnoputri hadir dalam rapat itu."
    assert spans(run(text)) == [
        ("Partai Maju", 11, 22, "ORG:partai-maju"),
        ("Megawati Soekarnoputri", 23, 45, "Q76179"),
    ]


def test_after_a_title_a_place_or_acronym_ends_the_organization() -> None:
    text = (
        "Juru bicara Kementerian Luar Negeri Malaysia Ahmad Fauzi mengatakan hal itu. "
        "Direktur Utama PT KAI Budi Santoso meresmikan stasiun baru."
    )
    assert spans(run(text)) == [
        ("Kementerian Luar Negeri Malaysia", 12, 44, "ORG:kementerian-luar-negeri-malaysia"),
        ("Ahmad Fauzi", 45, 56, "PER:ahmad-fauzi"),
        ("PT KAI", 92, 98, "ORG:pt-kai"),
        ("Budi Santoso", 99, 111, "PER:budi-santoso"),
    ]


def test_an_organization_between_a_title_and_a_known_person_is_named_again() -> None:
    text = "Ketua Umum PBK Maju Megawati Soekarnoputri hadir. Kader PBK Maju lain menyambutnya."
    assert spans(run(text)) == [
        ("PBK Maju", 11, 19, "ORG:pbk-maju"),
        ("Megawati Soekarnoputri", 20, 42, "Q76179"),
        ("PBK Maju", 56, 64, "ORG:pbk-maju"),
    ]


def test_a_person_the_kb_knows_by_one_word_does_not_cut_a_name_after_a_title() -> None:
    # "Perkasa" alone is a KB name, but "Rosan Perkasa Roeslani" is one person
    found = texts("Kepala BKPM, Rosan Perkasa Roeslani, hadir.")
    assert "Rosan Perkasa Roeslani" in found


# --- name forms: honorifics, suffixes, nicknames, partial KB names -----------------------


def test_honorifics_stay_outside_the_person() -> None:
    text = "Perdana Menteri Datuk Seri Anwar Ibrahim tiba di Jakarta. Pak Prabowo Subianto menyambutnya."
    assert spans(run(text)) == [
        ("Anwar Ibrahim", 27, 40, "Q299574"),
        ("Jakarta", 49, 56, "Q3630"),
        ("Prabowo Subianto", 62, 78, "Q2107268"),
    ]


def test_a_name_suffix_is_part_of_the_name() -> None:
    text = "Presiden Filipina Ferdinand Marcos Jr tiba di Jakarta. Marcos Jr disambut hangat."
    assert [(m.text, m.start) for m in run(text).mentions if m.text.startswith(("Ferdinand", "Marcos"))] == [
        ("Ferdinand Marcos Jr", 18),
        ("Marcos Jr", 55),
    ]


def test_a_quoted_nickname_inside_a_name_is_one_mention() -> None:
    text = "Prabowo Subianto bertemu Joko \"Jokowi\" Widodo di Solo. Ia datang bersama Budi 'Ucok' Santoso."
    assert spans(run(text))[1:3] == [
        ('Joko "Jokowi" Widodo', 25, 45, "Q3318231"),
        ("Solo", 49, 53, spans(run(text))[2][3]),
    ]
    assert ("Budi 'Ucok' Santoso", 73, 92) in [m[:3] for m in spans(run(text))]


def test_a_kb_name_inside_a_longer_personal_name_takes_the_whole_name() -> None:
    # "Abbas" alone is a person the KB knows; "Abbas Karimi" is someone else, unlinked
    text = "Menteri Luar Negeri Iran, Abbas Karimi, bertemu Retno Marsudi di Jakarta."
    assert spans(run(text)) == [
        ("Iran", 20, 24, "Q794"),
        ("Abbas Karimi", 26, 38, "PER:abbas-karimi"),
        ("Retno Marsudi", 48, 61, "Q18342668"),
        ("Jakarta", 65, 72, "Q3630"),
    ]


def test_roman_numerals_are_not_names() -> None:
    assert "XI" not in texts("Musyawarah Nasional XI partai itu digelar di Jakarta, dan status naik ke level II.")


def test_a_shorter_and_a_longer_form_of_one_name_are_one_person() -> None:
    text = "Pramono Anung Wibowo mendaftar hari ini. Menurut Pramono, semua berkas lengkap."
    found = spans(run(text))
    assert [m[:3] for m in found] == [("Pramono Anung Wibowo", 0, 20), ("Pramono", 49, 56)]
    assert found[0][3] == found[1][3]


# --- places: direction words, Republik, acronyms with RI -----------------------------------


def test_direction_words_belong_to_the_place_and_it_is_not_linked_to_the_city() -> None:
    text = "Banjir melanda Jakarta Barat dan Jakarta Pusat, sementara Jakarta sendiri aman."
    assert spans(run(text)) == [
        ("Jakarta Barat", 15, 28, "LOC:jakarta-barat"),
        ("Jakarta Pusat", 33, 46, "Q10109"),
        ("Jakarta", 58, 65, "Q3630"),
    ]
    assert spans(run("Protesters gathered in South Jakarta on Monday.", "en")) == [("South Jakarta", 23, 36, "Q10114")]


def test_republik_before_a_country_is_the_country() -> None:
    text = "Presiden Republik Kenya William Ruto berkunjung, disusul delegasi Republik Islam Iran."
    found = spans(run(text))
    assert found[0] == ("Republik Kenya", 9, 23, "Q114")
    assert found[-1] == ("Republik Islam Iran", 66, 85, "Q794")


def test_an_acronym_with_ri_is_one_organization() -> None:
    text = "Wakil Ketua DPR RI, Budi Santoso, mengatakan Presiden RI akan hadir."
    assert spans(run(text)) == [
        ("DPR RI", 12, 18, "Q2670027"),
        ("Budi Santoso", 20, 32, "PER:budi-santoso"),
        ("RI", 54, 56, "Q252"),
    ]


def test_capitalized_common_nouns_alone_are_not_mentions() -> None:
    text = "Rapat digelar di Kantor Gubernur Jawa Barat. Ia berterima kasih kepada Pemerintah Provinsi Jawa Barat."
    assert "Kantor" not in texts(text)
    assert "Pemerintah" not in texts(text)


# --- acronyms and short forms the article introduces ---------------------------------------


def test_an_acronym_qualifying_a_title_is_an_organization_named_again_later() -> None:
    text = "Kepala BMKL, Rina Wulandari, memberi peringatan dini. BMKL meminta warga waspada."
    assert spans(run(text)) == [
        ("BMKL", 7, 11, "ORG:bmkl"),
        ("Rina Wulandari", 13, 27, "PER:rina-wulandari"),
        ("BMKL", 54, 58, "ORG:bmkl"),
    ]


def test_a_bracketed_short_form_names_the_organization_or_place_before_it() -> None:
    text = (
        "Kementerian Dalam Negeri (Kemendagri) menggelar rapat di Sumatera Utara (Sumut). "
        "Kemendagri meminta daerah di Sumut bersiap."
    )
    assert spans(run(text)) == [
        ("Kementerian Dalam Negeri", 0, 24, "ORG:kementerian-dalam-negeri"),
        ("Kemendagri", 26, 36, "ORG:kementerian-dalam-negeri"),
        ("Sumatera Utara", 57, 71, "Q2140"),
        ("Sumut", 73, 78, "Q2140"),
        ("Kemendagri", 81, 91, "ORG:kementerian-dalam-negeri"),
        ("Sumut", 110, 115, "Q2140"),
    ]
    # "(Persero)" is no short form of "PT KAI"
    assert "Persero" not in texts("Direktur PT KAI (Persero) Budi Santoso meresmikan stasiun.")


def test_an_acronym_inside_an_organization_names_it_again() -> None:
    text = "Direktur Utama PT KAI Budi Santoso meresmikan stasiun. KAI menambah jadwal kereta."
    found = spans(run(text))
    assert found[0] == ("PT KAI", 15, 21, "ORG:pt-kai")
    assert found[-1] == ("KAI", 55, 58, "ORG:pt-kai")


def test_title_organization_comma_person() -> None:
    text = "Hal itu disampaikan Ketua Harian Partai Maju, Budi Santoso, di Jakarta."
    assert [m[:2] for m in [(m[0], m[3]) for m in spans(run(text))]] == [
        ("Partai Maju", "ORG:partai-maju"),
        ("Budi Santoso", "PER:budi-santoso"),
        ("Jakarta", "Q3630"),
    ]
    text = "Hal itu disampaikan Ketua Harian Gerakan, Budi Santoso, di Jakarta."
    assert [(m[0], m[3]) for m in spans(run(text))][:2] == [
        ("Gerakan", "ORG:gerakan"),
        ("Budi Santoso", "PER:budi-santoso"),
    ]


def test_a_one_word_name_found_after_a_title_is_that_person_again() -> None:
    text = "Kepala BNPB Suharyanto meninjau lokasi. Suharyanto meminta warga tetap tenang."
    assert [(m[0], m[1]) for m in spans(run(text)) if m[0] == "Suharyanto"] == [("Suharyanto", 12), ("Suharyanto", 40)]


def test_an_acronym_then_a_word_abbreviated_in_brackets_is_one_organization() -> None:
    text = "Ketua Umum PRN Maju (PRNM) Budi Santoso hadir."  # an acronym the KB does not know
    assert [m[0] for m in spans(run(text))][:2] == ["PRN Maju", "PRNM"]


# --- venues ------------------------------------------------------------------------------------


def test_venue_heads_and_tails_make_whole_places() -> None:
    text = "Rapat digelar di Gedung Merah Putih KPK dan Stadion Utama Jawa Barat."
    assert [m[0] for m in spans(run(text))] == ["Gedung Merah Putih KPK", "Stadion Utama Jawa Barat"]
    text = "The leaders met at the Great Hall of the People and later in the East Room of the White House."
    assert [m[0] for m in spans(run(text, "en"))] == ["Great Hall of the People", "East Room", "White House"]


def test_a_head_word_over_exactly_a_kb_name_keeps_the_kb_name() -> None:
    # "Gedung Putih" (the White House) starts with the venue head "Gedung", but the KB knows it as a whole
    assert texts("Juru bicara itu berbicara kepada wartawan di Gedung Putih.") == ["Gedung Putih"]


def test_connectors_inside_english_names_before_their_tail_word() -> None:
    text = "Members of the Green and Gold Cabinet met on Monday."
    assert [m[0] for m in spans(run(text, "en"))] == ["Green and Gold Cabinet"]


def test_two_places_joined_by_dan_are_two_places() -> None:
    text = "Presiden meresmikan Bendungan Sukamaju dan Bendungan Cikarang pekan ini."
    assert [m[0] for m in spans(run(text))] == ["Bendungan Sukamaju", "Bendungan Cikarang"]


def test_a_building_that_speaks_is_the_institution_in_it() -> None:
    text = 'Rapat digelar di Gedung Sate. "Semua siap," kata Gedung Sate dalam pernyataannya.'
    extraction = run(text)
    assert [(m[0], m[1], m[3]) for m in spans(extraction)] == [
        ("Gedung Sate", 17, "LOC:gedung-sate"),
        ("Gedung Sate", 49, "ORG:gedung-sate"),
    ]
    assert [(s.text, s.speaker_key) for s in extraction.statements] == [("Semua siap", "ORG:gedung-sate")]


# --- name forms the KB knows otherwise; numbers; possessives -----------------------------


def test_a_lower_case_kb_name_the_article_also_names_in_capitals() -> None:
    text = "Indonesia siap membantu. Kami merasakan kesediaan indonesia untuk itu. Warga malang itu kembali."
    assert spans(run(text)) == [("Indonesia", 0, 9, "Q252"), ("indonesia", 50, 59, "Q252")]
    assert spans(run("Kami merasakan kesediaan indonesia untuk itu.")) == []


def test_number_words_are_not_places() -> None:
    text = "Lima orang tewas dalam kecelakaan itu. Presiden terbang ke Lima, Peru."
    assert [(m[0], m[1]) for m in spans(run(text))] == [("Lima", 59), ("Peru", 65)]


def test_a_longer_organization_name_wins_over_the_kb_name_inside_it() -> None:
    text = "Ministers of ASEAN Plus Three met in Jakarta, while ASEAN itself met later."
    assert spans(run(text, "en")) == [
        ("ASEAN Plus Three", 13, 29, "ORG:asean-plus-three"),
        ("Jakarta", 37, 44, "Q3630"),
        ("ASEAN", 52, 57, "Q7768"),
    ]


def test_modifier_letter_apostrophe_possessive_splits_from_the_name() -> None:
    assert spans(run("Russia\u02bcs war on Ukraine went on.", "en")) == [
        ("Russia", 0, 6, "Q159"),
        ("Ukraine", 16, 23, "Q212"),
    ]
