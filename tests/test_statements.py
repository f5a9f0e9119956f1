"""Statements, events and roles read off real pipelines, compared record by record."""

from __future__ import annotations

from datetime import date

from conftest import DATA, SEED

from kg.article import Article, read_article
from kg.extract import extract_records
from kg.records import Event, EventType, Extraction, Role

PUBLISHED = date(2022, 10, 11)
STOLTENBERG, PESKOV, NATO, TASS = "Q57665", "PER:dmitry-peskov", "Q7184", "Q223799"


def run(text: str, lang: str = "id") -> Extraction:
    return extract_records(Article.from_text(text, lang, published=PUBLISHED))


def said(extraction: Extraction) -> list[tuple[str | None, str, bool]]:
    return [(s.speaker_key, s.text, s.direct) for s in extraction.statements]


def test_seed_statements() -> None:
    extraction = extract_records(read_article(SEED, published=PUBLISHED))
    rows = [
        (s.speaker_key, s.direct, s.channel_key, s.date.isoformat() if s.date else None, s.event, s.text[:30])
        for s in extraction.statements
    ]
    assert rows == [
        (STOLTENBERG, False, None, "2022-10-11", 0, "kemenangan Rusia dalam konflik"),
        (STOLTENBERG, False, TASS, "2022-10-11", 0, "NATO tidak boleh membiarkan ha"),
        (STOLTENBERG, True, None, "2022-10-11", 0, "Penting bagi kita semua, Ukrai"),
        (STOLTENBERG, True, None, "2022-10-11", 0, "Karena jika (Presiden Rusia) V"),
        (STOLTENBERG, True, None, "2022-10-11", 0, "Tetapi, itu akan menjadi kekal"),
        (STOLTENBERG, True, None, "2022-10-11", 0, "Karena itu akan membuat dunia "),
        (STOLTENBERG, False, None, "2022-10-11", 0, "NATO harus siap menghadapi per"),
        (STOLTENBERG, True, None, "2022-10-11", 0, "Saya pikir kita hanya harus be"),
        (PESKOV, False, None, "2022-10-03", None, "Kremlin terus memantau dengan "),
        (PESKOV, False, None, "2022-10-03", None, "sikap Moskow ini ditunjukkan m"),
        (PESKOV, True, TASS, "2022-10-03", None, "Kami memantau keputusan ini de"),
        (PESKOV, False, None, "2022-10-03", None, "fakta bahwa negara-negara NATO"),
        (PESKOV, True, None, "2022-10-03", None, "Ada negara di sana yang menduk"),
        (PESKOV, True, None, "2022-10-03", None, "Semua orang mengacu pada atura"),
    ]


def test_quoted_words_are_exact_spans(seed_text: str) -> None:
    extraction = extract_records(read_article(SEED, published=PUBLISHED))
    first = next(s for s in extraction.statements if s.direct)
    assert first.text == "Penting bagi kita semua, Ukraina memenangkan pertempuran"
    assert seed_text[first.start : first.end] == first.text
    assert seed_text[first.start - 1] == '"'


def test_seed_events_and_roles() -> None:
    extraction = extract_records(read_article(SEED, published=PUBLISHED))
    assert extraction.events == (
        Event(
            EventType.PRESS_CONFERENCE,
            "konferensi pers",
            527,
            542,
            date(2022, 10, 11),
            date(2022, 10, 11),
            None,
            NATO,
            (STOLTENBERG,),
        ),
        Event(
            EventType.MEETING,
            "pertemuan para Menteri Pertahanan anggota NATO",
            553,
            599,
            date(2022, 10, 12),
            date(2022, 10, 13),
            "Q239",
            NATO,
            (),
        ),
    )
    assert extraction.roles == (
        Role(STOLTENBERG, "Sekjen", 114, 142, NATO, "Q167662", "Secretary General of NATO"),
        Role("Q7747", "Presiden", 741, 771, "Q159", "Q218295", "President of Russia"),
        Role(PESKOV, "Juru Bicara", 1372, 1404, "Q159", None, None),
    )


def test_speaker_forms_in_indonesian() -> None:
    text = (
        "Menlu Retno Marsudi tiba di Jakarta.\n"
        'Retno mengatakan, "Kerja sama harus diperkuat."\n'
        '"Ini penting bagi kawasan," tambahnya.\n'
        '"Kami siap membantu," kata Presiden Jokowi kepada wartawan.\n'
        '"Semua pihak harus menahan diri," ujar Presiden.\n'
        '"Perang harus berhenti.\n'
        '"Dunia menunggu," lanjutnya.\n'
        '"Tidak ada yang tahu."'
    )
    extraction = run(text)
    assert said(extraction) == [
        ("Q18342668", "Kerja sama harus diperkuat.", True),
        ("Q18342668", "Ini penting bagi kawasan", True),
        ("Q3318231", "Kami siap membantu", True),
        ("Q3318231", "Semua pihak harus menahan diri", True),  # "Presiden" alone: the president named last
        ("Q3318231", "Perang harus berhenti.\nDunia menunggu", True),  # one quote over two paragraphs
        ("Q3318231", "Tidak ada yang tahu.", True),  # a run of quote paragraphs keeps its speaker
    ]
    assert extraction.statements[2].to_reporters


def test_reported_speech_in_indonesian() -> None:
    text = (
        "Dikutip dari Reuters, Lavrov menegaskan bahwa Rusia tidak akan mundur.\n"
        "Menurut Erdogan, perundingan damai harus dimulai.\n"
        "Harga gandum bisa naik, kata pengamat Universitas Gadjah Mada, Rina Kusumawati."
    )
    extraction = run(text)
    assert said(extraction) == [
        ("Q58217", "Rusia tidak akan mundur", False),
        ("Q39259", "perundingan damai harus dimulai", False),
        ("PER:rina-kusumawati", "Harga gandum bisa naik", False),
    ]
    assert extraction.statements[0].channel_key == "Q130879"


def test_speaker_forms_in_english() -> None:
    text = (
        'Blinken said: "We will keep supporting Ukraine."\n'
        '"Russia must stop," said Blinken.\n'
        '"We discussed the next steps," Ukrainian Foreign Minister Dmytro Kuleba told Reuters.\n'
        "The minister said his government would sign the deal.\n"
        '"It is a good day," he added.\n'
        "Kremlin spokesman Dmitry Peskov said that Moscow would respond."
    )
    extraction = run(text, "en")
    assert said(extraction) == [
        ("Q7821917", "We will keep supporting Ukraine.", True),
        ("Q7821917", "Russia must stop", True),
        ("Q24025631", "We discussed the next steps", True),
        ("Q24025631", "his government would sign the deal", False),
        ("Q24025631", "It is a good day", True),
        (PESKOV, "Moscow would respond", False),
    ]
    assert extraction.statements[2].channel_key == "Q130879"


def test_a_quote_without_speaker_is_kept_unattributed() -> None:
    (statement,) = run('"Kami hanya ingin damai."').statements
    assert (statement.speaker_key, statement.text, statement.direct) == (None, "Kami hanya ingin damai.", True)


def test_nothing_is_said_in_baca_juga_lines() -> None:
    text = 'Baca juga: "Kami menolak," kata Jokowi\nBerita lain terkait Jokowi mengatakan hal itu'
    assert run(text).statements == ()


def test_events_in_indonesian() -> None:
    extraction = extract_records(read_article(DATA / "articles" / "id_004_telepon_ktt.txt", published=PUBLISHED))
    rows = [
        (
            e.type.value,
            e.label,
            e.start_date and e.start_date.isoformat(),
            e.end_date and e.end_date.isoformat(),
            e.location_key,
            e.organizer_key,
            e.attendee_keys,
        )
        for e in extraction.events
    ]
    assert rows == [
        ("PhoneCall", "pembicaraan telepon", "2022-10-10", "2022-10-10", None, None, ("Q3318231", "Q6279")),
        ("Summit", "KTT G20", "2022-11-15", "2022-11-16", "Q3125978", "Q19771", ("Q3318231",)),
        ("Meeting", "pertemuan bilateral", "2022-10-10", "2022-10-10", "Q1850", None, ("Q18342668", "Q701801")),
    ]


def test_events_in_english() -> None:
    extraction = extract_records(
        read_article(DATA / "articles" / "en_004_blinken_kuleba_call.txt", published=PUBLISHED)
    )
    rows = [
        (e.type.value, e.label, e.start_date and e.start_date.isoformat(), e.location_key, e.attendee_keys)
        for e in extraction.events
    ]
    assert rows == [
        ("PhoneCall", "phone call", "2022-10-11", None, ("Q7821917", "Q24025631")),
        ("Signing", "signing", "2022-07-22", "Q406", ()),
    ]


def test_an_event_named_again_is_the_same_event() -> None:
    text = (
        "Retno menerima kunjungan Lavrov di Jakarta, Kamis (7/7/2022).\n"
        "Dalam pertemuan itu, Retno menegaskan posisi Indonesia."
    )
    extraction = run(text)
    assert [e.type for e in extraction.events] == [EventType.VISIT]
    assert [(s.speaker_key, s.event, s.date) for s in extraction.statements] == [("Q18342668", 0, date(2022, 7, 7))]


def test_roles_in_both_languages() -> None:
    assert run("Menlu RI Retno Marsudi tiba.").roles == (
        Role("Q18342668", "Menlu", 0, 22, "Q252", "Q19827130", "Minister of Foreign Affairs of Indonesia"),
    )
    assert run("NATO Secretary General Mark Rutte said the alliance was ready.", "en").roles == (
        Role("Q57792", "Secretary General", 5, 33, NATO, "Q167662", "Secretary General of NATO"),
    )


def test_quote_marks_that_close_without_opening() -> None:
    text = (
        "Menlu Retno Marsudi menerima tamunya di Jakarta.\n\n"
        '"Kunjungan ini mempererat persahabatan kedua bangsa.\n\n'
        'Kami berharap kerja sama ekonomi terus tumbuh," kata Retno.\n\n'
        'Ekspor minyak sawit juga dibahas," ujar Retno.\n\n'
        '"Kami akan bertemu lagi tahun depan'
    )
    assert said(run(text)) == [
        # the next paragraph goes on without a new opening mark and closes the quote: one quote
        (
            "Q18342668",
            "Kunjungan ini mempererat persahabatan kedua bangsa.\n\nKami berharap kerja sama ekonomi terus tumbuh",
            True,
        ),
        # a closing mark without its opening delimits no words; a quote never closed neither
    ]


def test_more_quotes_after_the_attribution_keep_the_speaker() -> None:
    text = (
        '"We will not give up," Blinken said at a news conference. "There is more work to do."\n'
        '"The talks were useful," said Retno Marsudi, adding: "We hope to meet again soon."'
    )
    assert said(run(text, "en")) == [
        ("Q7821917", "We will not give up", True),
        ("Q7821917", "There is more work to do.", True),
        ("Q18342668", "The talks were useful", True),
        ("Q18342668", "We hope to meet again soon.", True),
    ]


def test_names_in_quote_marks_are_not_quotes() -> None:
    text = 'Menlu Retno Marsudi tiba di Jakarta.\n"Indonesia Emas" adalah program pemerintah untuk tahun 2045.'
    assert [s for s in run(text).statements if s.direct] == []


def test_nya_and_he_said_are_the_person_the_sentence_before_introduced() -> None:
    text = (
        "Presiden Joko Widodo menerima Menlu Retno Marsudi di Istana Bogor.\n"
        '"Kami membahas persiapan KTT," kata Jokowi.\n'
        "Menteri Luar Negeri China Wang Yi juga menyampaikan pernyataan.\n"
        '"Kerja sama kedua negara terus tumbuh," ujarnya.\n'
        '"Kami ingin perdagangan lebih seimbang," ia melanjutkan.'
    )
    assert said(run(text)) == [
        ("Q3318231", "Kami membahas persiapan KTT", True),
        ("Q701801", "Kerja sama kedua negara terus tumbuh", True),  # not Jokowi, quoted before
        ("Q701801", "Kami ingin perdagangan lebih seimbang", True),
    ]
    text = (
        '"We are proud of this partnership," Biden said.\n'
        "Xi, who arrived in Washington on Monday, said he would raise trade.\n"
        '"Our two countries must work together," he said.'
    )
    assert said(run(text, "en")) == [
        ("Q6279", "We are proud of this partnership", True),
        ("Q15031", "Our two countries must work together", True),
    ]


def test_nya_before_anyone_is_quoted_is_the_person_the_story_is_about() -> None:
    text = (
        "Sementara itu, Menlu Retno Marsudi memimpin rapat di Jakarta bersama Presiden Joko Widodo.\n"
        "Rapat itu berlangsung tiga jam.\n"
        '"Semua delegasi sepakat," katanya.'
    )
    assert said(run(text)) == [("Q18342668", "Semua delegasi sepakat", True)]  # not Jokowi, named last


def test_titles_resolve_to_the_holder_the_article_named() -> None:
    text = (
        "President Joe Biden and Vice President Kamala Harris met the cabinet.\n"
        '"We will not wait," the President said.\n'
        "Prince Faisal met Retno Marsudi in Jakarta.\n"
        '"Our investors are ready," the prince said.'
    )
    assert said(run(text, "en")) == [
        ("Q6279", "We will not wait", True),  # the President, not the Vice President
        ("Q72099398", "Our investors are ready", True),  # no role recorded: the person the title preceded
    ]
    text = (
        "Kementerian Luar Negeri Iran mengatakan perundingan telah selesai.\n"
        '"Pembicaraan berlangsung konstruktif," kata kementerian dalam sebuah pernyataan.\n'
        '"Indonesia siap membantu," kata Menlu RI Retno Marsudi.\n'
        '"Kami tidak akan tinggal diam," tegas Menlu RI.'
    )
    assert said(run(text)) == [
        ("ORG:kementerian-luar-negeri-iran", "perundingan telah selesai", False),
        ("ORG:kementerian-luar-negeri-iran", "Pembicaraan berlangsung konstruktif", True),
        ("Q18342668", "Indonesia siap membantu", True),
        ("Q18342668", "Kami tidak akan tinggal diam", True),  # "Menlu RI": the holder named
    ]


def test_the_person_after_a_title_and_its_organization_speaks() -> None:
    text = '"The budget will create jobs," said the Minister of Finance, Sri Mulyani Indrawati, to reporters.'
    assert said(run(text, "en")) == [("Q3177708", "The budget will create jobs", True)]


def test_channels_and_media_are_not_speakers() -> None:
    text = (
        '"Moscow will respond," Kremlin spokesman Dmitry Peskov told Reuters.\n'
        '"We are watching closely," Zelensky wrote on X.\n'
        '"The strikes must stop," the State Department said in a statement.\n'
        '"Help is on the way," Retno Marsudi posted on Facebook.'
    )
    extraction = run(text, "en")
    assert said(extraction) == [
        (PESKOV, "Moscow will respond", True),  # <Org> spokesman <Name>: the person
        ("Q3874799", "We are watching closely", True),
        ("ORG:state-department", "The strikes must stop", True),
        ("Q18342668", "Help is on the way", True),
    ]
    assert extraction.statements[0].channel_key == "Q130879"  # Reuters is the channel


def test_quotes_inside_reported_sentences_are_direct_quotes() -> None:
    text = (
        'Retno told reporters on Monday and said, "We are ready to help."\n'
        'When asked whether Jokowi would attend, Retno responded, "He will be there."\n'
        'Albanese said the two nations were "close neighbours who share the same values and interests."\n'
        'Albanese called the visit "historic" and left.\n'
        'Retno said the book "The Art of the Deal" was on the table.'
    )
    assert said(run(text, "en")) == [
        ("Q18342668", "We are ready to help.", True),
        ("Q18342668", "He will be there.", True),
        # the reported sentence is reported speech too; "historic" alone is a scare quote, not a quote
        ("Q335697", 'the two nations were "close neighbours who share the same values and interests."', False),
        ("Q335697", "close neighbours who share the same values and interests.", True),
        ("Q18342668", 'the book "The Art of the Deal" was on the table', False),  # a title in quote marks
    ]


def test_a_quote_paragraph_after_reported_speech_is_the_same_speaker() -> None:
    text = (
        "Perdana Menteri Australia Anthony Albanese mengatakan kunjungan itu penting.\n"
        '"Indonesia adalah tetangga terdekat kami."'
    )
    assert said(run(text)) == [
        ("Q335697", "kunjungan itu penting", False),
        ("Q335697", "Indonesia adalah tetangga terdekat kami.", True),
    ]
    text = (
        "PM Anthony Albanese tiba di Jakarta pada Senin.\n"
        "PM Australia yang baru terpilih itu mengatakan hubungan kedua negara sangat erat.\n"
        '"Kami ingin bekerja sama lebih banyak."\n'
        '"Indonesia adalah mitra yang penting."'
    )
    assert said(run(text)) == [
        ("Q335697", "hubungan kedua negara sangat erat", False),  # the title opening the sentence: its holder
        ("Q335697", "Kami ingin bekerja sama lebih banyak.", True),
        ("Q335697", "Indonesia adalah mitra yang penting.", True),
    ]


def test_words_said_by_someone_unnamed_do_not_take_the_last_speaker() -> None:
    text = '"Apakah semua setuju?" tanya Retno Marsudi.\n"Setuju!" jawab para peserta.\n"Setuju?" tanya Retno lagi.'
    assert said(run(text)) == [
        ("Q18342668", "Apakah semua setuju?", True),
        (None, "Setuju!", True),
        ("Q18342668", "Setuju?", True),  # the same words as "Setuju!" but another speaker
    ]


def test_a_person_named_in_reported_content_is_not_the_next_speaker() -> None:
    text = (
        '"Kami siap menjadi tuan rumah," kata Menlu Retno Marsudi.\n'
        "Ia menambahkan, Presiden Joko Widodo akan membuka pertemuan itu.\n"
        '"Semua persiapan sudah selesai," ujarnya. "Tinggal menunggu tamu."'
    )
    assert said(run(text)) == [
        ("Q18342668", "Kami siap menjadi tuan rumah", True),
        ("Q18342668", "Presiden Joko Widodo akan membuka pertemuan itu", False),
        ("Q18342668", "Semua persiapan sudah selesai", True),  # Retno still: Jokowi is what she said
        ("Q18342668", "Tinggal menunggu tamu.", True),  # the second quote after "ujarnya" keeps its speaker
    ]


def test_a_name_opening_a_quoted_sentence_is_not_the_subject() -> None:
    text = (
        '"Persiapan sudah selesai. Prabowo Subianto akan datang besok," kata Menlu Retno Marsudi.\n'
        "Ia mengatakan pertemuan itu akan membahas perdagangan."
    )
    assert said(run(text)) == [
        ("Q18342668", "Persiapan sudah selesai. Prabowo Subianto akan datang besok", True),
        ("Q18342668", "pertemuan itu akan membahas perdagangan", False),
    ]


def test_the_french_president_is_the_president_written_french() -> None:
    text = (
        "French President Emmanuel Macron arrived in Jakarta on Monday.\n"
        "He later met President Joko Widodo at the palace.\n"
        '"We have agreed on many things," the French president said.\n'
        'Macron said on Tuesday: "The deal will be signed soon."'
    )
    assert said(run(text, "en")) == [
        ("Q3052772", "We have agreed on many things", True),  # not Jokowi, the president named last
        ("Q3052772", "The deal will be signed soon.", True),  # quoted, so not reported speech as well
    ]


def test_a_name_after_tanya_or_jawab_is_a_person() -> None:
    text = '"Kapan bantuan tiba?" tanya Andi Pratama kepada petugas.\n"Besok pagi," jawab Sri Wahyuni.'
    assert said(run(text)) == [
        ("PER:andi-pratama", "Kapan bantuan tiba?", True),
        ("PER:sri-wahyuni", "Besok pagi", True),
    ]


def test_more_indonesian_attributions() -> None:
    text = (
        'Menurut Retno, "Indonesia tidak akan tinggal diam."\n'
        '"Semua harus tenang," demikian kata Jokowi.\n'
        '"Kami akan datang," sambung Jokowi.\n'
        '"Jangan panik," pesan Retno kepada warga.'
    )
    assert said(run(text)) == [
        ("Q18342668", "Indonesia tidak akan tinggal diam.", True),  # a quote after "menurut X,"
        ("Q3318231", "Semua harus tenang", True),
        ("Q3318231", "Kami akan datang", True),
        ("Q18342668", "Jangan panik", True),
    ]
    text = 'According to Blinken, "the talks are going well."'
    assert said(run(text, "en")) == [("Q7821917", "the talks are going well.", True)]


def test_a_quote_introduced_after_told_reporters() -> None:
    text = (
        "Foreign Minister Retno Marsudi opened the meeting.\n"
        'Wang Yi, China\'s foreign minister, told reporters: "China supports Indonesia."\n'
        '"We hope for peace," the minister said.\n'
        'Blinken said on Monday, "We will keep working."'
    )
    extraction = run(text, "en")
    assert said(extraction) == [
        ("Q701801", "China supports Indonesia.", True),
        ("Q701801", "We hope for peace", True),  # the minister described last, not Retno
        ("Q7821917", "We will keep working.", True),
    ]
    assert extraction.statements[0].to_reporters


def test_a_quote_paragraph_the_next_paragraph_attributes() -> None:
    text = (
        "Presiden Joko Widodo meninjau lokasi banjir di Bandung.\n\n"
        '"Pemerintah akan membangun kembali jembatan yang rusak."\n\n'
        "Hal itu disampaikan Menlu Retno Marsudi kepada wartawan di Jakarta.\n\n"
        '"Bantuan sudah dikirim."\n\n'
        "Warga masih mengungsi di masjid."
    )
    extraction = run(text)
    assert said(extraction) == [
        ("Q18342668", "Pemerintah akan membangun kembali jembatan yang rusak.", True),  # not Jokowi
        (None, "Bantuan sudah dikirim.", True),
    ]
    assert extraction.statements[0].to_reporters


def test_a_short_name_right_after_the_full_name_spoke_is_the_same_person() -> None:
    text = (
        "Gubernur Hendra Wijaya bertemu Bupati Hendra Kusuma di Bogor.\n"
        "Gubernur Hendra Wijaya mengatakan bahwa jalan itu akan diperbaiki.\n"
        '"Pekerjaan dimulai bulan depan," ujar Hendra.'
    )
    assert said(run(text)) == [
        ("PER:hendra-wijaya", "jalan itu akan diperbaiki", False),
        ("PER:hendra-wijaya", "Pekerjaan dimulai bulan depan", True),  # two Hendras: the one speaking
    ]


def test_an_organization_speaks_in_its_statement() -> None:
    text = '"Semua siap," kata Kementerian Luar Negeri dalam pernyataannya, Senin.'
    assert said(run(text)) == [("ORG:kementerian-luar-negeri", "Semua siap", True)]
