"""Cue words per language, passed to the components as their config, and the name words the
knowledge base derives surnames with.

Lower-case; multi-word cues are space-separated. Adding a language means adding an entry
here (and a spaCy tokenizer for it); no component code changes.
"""

from __future__ import annotations

from typing import Any

_ID_TITLES = """
presiden | wakil presiden | wapres | menteri | menlu | menhan | mendagri | menkeu | menko | wamenlu |
sekjen | sekretaris jenderal | juru bicara | jubir | kanselir | perdana menteri | pm | raja | ratu |
pangeran | gubernur | wakil gubernur | wagub | bupati | wali kota | walikota | ketua | wakil ketua |
ketua umum | direktur | direktur jenderal | dirjen | kepala | panglima | kapolri | kapolda | jaksa agung |
duta besar | dubes | jenderal | letjen | mayjen | brigjen | kolonel | paus | senator | hakim | profesor |
prof | dr | kepala staf | komandan | uskup | imam | syekh | sultan | pejabat | diplomat | pakar | analis |
pengamat | mantan presiden | mantan menteri |
mensesneg | menkes | menkumham | menpora | menparekraf | mendikbud | menaker | mentan | menag | mensos |
menpan | seskab | plt | sekretaris pers | utusan khusus | utusan | pimpinan | premier | dr.
"""
_EN_TITLES = """
president | vice president | prime minister | minister | foreign minister | defence minister |
defense minister | secretary general | secretary-general | secretary | spokesman | spokeswoman |
spokesperson | chancellor | governor | mayor | king | queen | prince | general | gen. | director |
director general | chairman | chairwoman | chair | chief | ambassador | envoy | senator | sen. | rep. |
pope | judge | professor | prof. | dr. | mr. | mrs. | ms. | commander | sheikh | sultan | analyst |
former president | former minister | lawmaker | official | deputy |
special envoy | trade representative | premier
"""
# Capitalized words that continue a title, not a name: "Menteri Luar Negeri", "Defence Minister".
_ID_PORTFOLIO = """
luar negeri dalam pertahanan keuangan kesehatan pendidikan agama sosial perdagangan perindustrian
pertanian perhubungan hukum ham koordinator bidang perekonomian politik keamanan pariwisata ekonomi
kreatif energi sumber daya mineral bumn tenaga kerja kelautan perikanan lingkungan hidup kehutanan
sekretaris negara kabinet jenderal umum besar utama militer staf angkatan darat laut udara tni polri
ri as republik kerajaan federal tertinggi agung muda senior pusat daerah provinsi kota kabupaten
wakil kepresidenan istana dewan keamanan informasi komunikasi digital riset teknologi investasi
perencanaan pembangunan nasional pemuda olahraga desa perumahan rakyat umum pekerjaan
harian dpp dpd dpc dpw
"""
_EN_PORTFOLIO = """
foreign defence defense finance health interior home trade state affairs general deputy senior
chief executive national security press white house staff joint armed forces army navy air
secretary us u.s. uk eu un of the for and economic economy energy justice attorney commerce
"""
_ID_ORG_HEADS = """
kementerian | kemenlu | badan | partai | universitas | institut | komisi | dewan | bank | pt | lembaga |
majelis | mahkamah | pengadilan | kepolisian | polda | polres | kejaksaan | markas besar | mabes |
yayasan | asosiasi | persatuan | serikat | perusahaan | kantor berita |
organisasi | komite | otoritas | direktorat | sekolah | rumah sakit | federasi | liga
"""
_EN_ORG_HEADS = """
ministry | department | agency | party | university | institute | commission | council | bank |
court | bureau | committee | corporation | association | union | federation | foundation | authority |
organisation | organization | league | company | news agency | centre | center | college | school | hospital |
parliament | senate | congress
"""

_ID_PLACE_HEADS = """
kabupaten | kecamatan | kota | provinsi | desa | kelurahan | sungai | gunung | pulau | kepulauan | danau |
selat | teluk | laut | jalan | bandara | pelabuhan | istana | tanjung |
gedung | stadion | hotel | bendungan | wisma | graha
"""
_EN_PLACE_HEADS = "mount | lake | gulf of | strait of | port of | bay of | sea of | province of | city of | hotel"
_EN_ORG_TAILS = """
ministry | agency | party | council | court | bank | university | commission | department | committee |
institute | police | parliament | corporation | foundation | association | union | house |
secretariat | academy | board | fund | authority | office | cabinet
"""
_EN_PLACE_TAILS = (
    "river | island | islands | sea | strait | province | county | district | region | street | airport | "
    "palace | hall | room | lawn | complex | air base | air force base | hotel | stadium | convention center | "
    "convention centre"
)

# Titles -> how Wikidata names the office, to find "<office> of <country or organization>".
_POSITION_NAMES = {
    "President": "presiden | president",
    "Vice President": "wakil presiden | wapres | vice president",
    "Prime Minister": "perdana menteri | pm | prime minister",
    "Secretary General": "sekjen | sekretaris jenderal | secretary general | secretary-general",
    "Secretary-General": "sekjen | sekretaris jenderal | secretary general | secretary-general",
    "Minister of Foreign Affairs": "menlu | menteri luar negeri | foreign minister | minister of foreign affairs",
    "Minister for Foreign Affairs": "menlu | menteri luar negeri | foreign minister | minister for foreign affairs",
    "Foreign Minister": "menlu | menteri luar negeri | foreign minister",
    "Minister of Defence": "menhan | menteri pertahanan | defence minister | defense minister",
    "Secretary of Defense": "defense secretary | secretary of defense",
    "Minister of Health": "menkes | menteri kesehatan | health minister",
    "Minister of Finance": "menkeu | menteri keuangan | finance minister",
    "Minister of Home Affairs": "mendagri | menteri dalam negeri | home affairs minister | interior minister",
    "Minister of Agriculture": "menteri pertanian",
    "Minister of Trade": "menteri perdagangan | trade minister",
    "Minister of Transportation": "menteri perhubungan",
    "Minister of Religious Affairs": "menteri agama",
    "Minister of Social Affairs": "menteri sosial",
    "Minister of State-Owned Enterprises": "menteri bumn",
    "Minister of Industry": "menteri perindustrian",
    "Minister of Investment": "menteri investasi",
    "Minister of State Secretariat": "menteri sekretaris negara",
    "Minister of Manpower": "menteri tenaga kerja",
    "Coordinating Minister for Economic Affairs": """
    menko perekonomian | menko bidang perekonomian | menteri koordinator perekonomian |
    menteri koordinator bidang perekonomian""",
}


# Calendar words with their numbers (months 1-12, weekdays 0 = Monday): kg_dates reads dates with
# them, and the other components know them for words that are never names. Abbreviations without a
# trailing period; "may" only as a date when capitalized (kg_dates).
_ID_MONTHS = {
    **dict.fromkeys(("januari", "jan"), 1),
    **dict.fromkeys(("februari", "feb"), 2),
    **dict.fromkeys(("maret", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "mei": 5,
    **dict.fromkeys(("juni", "jun"), 6),
    **dict.fromkeys(("juli", "jul"), 7),
    **dict.fromkeys(("agustus", "agu", "agt"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("desember", "des"), 12),
}
_EN_MONTHS = {
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "may": 5,
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
_ID_WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    **dict.fromkeys(("jumat", "jum'at"), 4),
    "sabtu": 5,
    **dict.fromkeys(("minggu", "ahad"), 6),
}
_EN_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tue"), 1),
    **dict.fromkeys(("wednesday", "wed"), 2),
    **dict.fromkeys(("thursday", "thu"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    **dict.fromkeys(("saturday", "sat"), 5),
    **dict.fromkeys(("sunday", "sun"), 6),
}


def _phrases(block: str) -> list[str]:
    return sorted({p.strip() for p in block.replace("\n", " ").split("|") if p.strip()})


def _words(block: str) -> list[str]:
    return sorted(set(block.split()))


def _position_names() -> dict[str, list[str]]:
    """title as written (lower case) -> office names to try, e.g. "menlu" -> ["Minister of Foreign Affairs", …]."""
    names: dict[str, list[str]] = {}
    for office, titles in _POSITION_NAMES.items():
        for title in _phrases(titles):
            names.setdefault(title, []).append(office)
    return names


POSITION_NAMES = _position_names()

LEXICONS: dict[str, dict[str, Any]] = {
    "id": {
        "titles": _phrases(_ID_TITLES),
        "title_articles": ["sang"],
        "title_words": _words(_ID_PORTFOLIO),
        "org_heads": _phrases(_ID_ORG_HEADS),
        "org_tails": [],
        "place_heads": _phrases(_ID_PLACE_HEADS),
        "place_tails": [],
        "org_connectors": ["dan", "untuk", "bagi", "&"],
        # "kata Federer", "menurut Retno" / "Lavrov mengatakan": speech names a person
        "speech_before": [
            "kata",
            "ujar",
            "ucap",
            "tegas",
            "jelas",
            "tutur",
            "papar",
            "tambah",
            "imbuh",
            "ungkap",
            "terang",
            "sebut",
            "menurut",
            "lanjut",
            "tanya",
            "jawab",
            "pungkas",
            "tandas",
            "sambung",
            "tukas",
            "beber",
            "cetus",
            "imbau",
        ],
        "speech_after": [
            "mengatakan",
            "menegaskan",
            "menyebut",
            "menyebutkan",
            "menjelaskan",
            "mengungkapkan",
            "menambahkan",
            "menekankan",
            "menuturkan",
            "memaparkan",
            "mengaku",
            "menyatakan",
            "berkata",
            "bilang",
        ],
        "place_preps": ["di", "ke", "dari", "dekat", "menuju"],
        "name_particles": ["bin", "binti", "van", "von", "de", "del", "der", "al", "el"],
        # lower-case words a run of capitalized words may hold inside a name, for the learned name finder
        # ("Ahmad bin Salim", "Kementerian Energi dan Sumber Daya Mineral"); its model was trained with these
        "name_joiners": ["bin", "binti", "van", "von", "de", "der", "den", "da", "al", "el", "dan", "&", "of", "the"],
        "weekdays": list(_ID_WEEKDAYS),
        "months": list(_ID_MONTHS),
        # statements: "…," kata X / jelasnya; X mengatakan (bahwa) …; menurut X, …
        "quote_verbs": [
            "kata",
            "ujar",
            "ucap",
            "tegas",
            "jelas",
            "tutur",
            "tambah",
            "papar",
            "imbuh",
            "ungkap",
            "terang",
            "sebut",
            "lanjut",
            "pungkas",
            "tandas",
            "tulis",
            "bilang",
            "seru",
            "timpal",
            "tanya",
            "jawab",
            "unggah",
            "sambung",
            "tukas",
            "beber",
            "cetus",
            "harap",
            "pesan",
            "ajak",
            "imbau",
            "kenang",
        ],
        "quote_suffix": "nya",
        "reporting_verbs": [
            "mengatakan",
            "menyebut",
            "menyebutkan",
            "menegaskan",
            "menekankan",
            "mengaku",
            "menyoroti",
            "menjelaskan",
            "mengungkapkan",
            "menyatakan",
            "menambahkan",
            "menuturkan",
            "memaparkan",
            "mengklaim",
            "menilai",
            "mengingatkan",
            "berkata",
            "melanjutkan",
            "menulis",
            "mengunggah",
            "menjawab",
            "bertanya",
        ],
        "according_to": ["menurut"],
        "complementizers": ["bahwa"],
        "pronouns": ["dia", "ia", "beliau"],
        "fillers": ["juga", "pun", "kembali", "lalu", "pula", "sebelumnya", "sendiri", "telah", "sudah", "demikian"],
        "channel_cues": [
            "seperti dikutip dari",
            "seperti dikutip",
            "dikutip dari",
            "dikutip",
            "seperti dilansir dari",
            "seperti dilansir",
            "dilansir dari",
            "dilansir",
            "mengutip",
            "dalam wawancara dengan",
            "kepada",
        ],
        "reporter_words": ["wartawan", "awak media", "media", "jurnalis", "pers"],
        "to_reporters": ["kepada"],  # "kepada wartawan"
        "date_preps": ["pada"],
        "affiliation_words": ["dari"],  # "Budi dari Universitas Indonesia mengatakan"
        "determiners": ["sebuah"],
        "event_label_trailers": ["para", "antara"],
        "anaphor_determiners": [],  # Indonesian points back after the noun: "pertemuan itu" (event_anaphors)
        # "Hal itu disampaikan Retno …": the speaker of the quote paragraph before
        "passive_verbs": [
            "disampaikan",
            "dikatakan",
            "diungkapkan",
            "ditegaskan",
            "dijelaskan",
            "disebutkan",
            "dinyatakan",
            "diutarakan",
            "dikemukakan",
        ],
        # events: "konferensi pers", "pertemuan para Menteri …", "KTT G20"
        "event_cues": {
            "PressConference": [
                "konferensi pers",
                "jumpa pers",
                "jumpa wartawan",
                "keterangan pers",
                "press briefing",
                "taklimat",
                "doorstop",
            ],
            "Meeting": [
                "pertemuan",
                "pertemuan bilateral",
                "rapat",
                "rapat kerja",
                "sidang",
                "perundingan",
                "dialog",
                "pertemuan tingkat menteri",
                "musyawarah nasional",
                "munas",
                "kongres",
                "seminar",
                "retret",
                "pembekalan",
            ],
            "Summit": ["ktt", "konferensi tingkat tinggi"],
            "Visit": ["kunjungan", "kunjungan kerja", "kunjungan kenegaraan", "lawatan", "kunker"],
            "PhoneCall": [
                "pembicaraan telepon",
                "percakapan telepon",
                "sambungan telepon",
                "melalui telepon",
                "panggilan telepon",
            ],
            "Signing": ["penandatanganan"],
            "Ceremony": ["pelantikan", "peresmian", "upacara", "jamuan makan malam", "jamuan bisnis"],
        },
        # events told by a verb: "Retno bertemu Wang Yi", "Jokowi meresmikan bendungan"
        "event_verbs": {
            "Meeting": ["bertemu", "menemui", "menghadap", "menerima delegasi"],
            "Visit": ["berkunjung", "mengunjungi", "meninjau"],
            "PhoneCall": ["menelepon", "berteleponan"],
            "Signing": ["menandatangani", "meneken"],
            "Ceremony": ["meresmikan", "melantik"],
        },
        # a speaker's words to reporters where they met them: "kata Budi di Gedung Nusantara, Senin (3/6/2024)"
        "doorstop_cues": ["kepada wartawan", "kepada awak media", "kepada media", "saat ditemui", "ketika ditemui"],
        # what a doorstop follows, at the same place and on the same day: "kata X usai rapat di Istana, Senin"
        "event_after": ["usai", "seusai", "setelah", "sesudah"],
        # "di sela KTT G20 di Bali": an event held where the bigger one is
        "event_sidelines": ["sela", "sela-sela", "disela", "disela-sela"],
        "event_boundaries": [
            "menjelang",
            "jelang",
            "sebelum",
            "setelah",
            "usai",
            "seusai",
            "sesudah",
            "saat",
            "ketika",
            "sementara",
            "sambil",
            "kemudian",
            "lalu",
            "lantas",
        ],
        "event_anaphors": ["itu", "tersebut", "ini"],
        "event_qualifiers": [
            "para",
            "antara",
            "tingkat",
            "menteri",
            "anggota",
            "negara",
            "bilateral",
            "tahunan",
            "khusus",
            "darurat",
            "kerja",
            "kenegaraan",
            "pers",
            "tinggi",
        ],
        "event_at": ["pada", "dalam", "di", "saat", "ketika", "usai", "seusai"],
        "said_at": [
            "disampaikan",
            "diungkapkan",
            "dikatakan",
            "berbicara",
            "menyampaikan",
            "mengatakan",
            "menegaskan",
            "menjelaskan",
        ],
        # mention boundaries (kg_mentions): honorifics stay outside a person, suffixes inside; direction words and
        # "Republik" belong to the place; capitalized common nouns alone are no mention
        "honorifics": [
            "pak",
            "bu",
            "bapak",
            "ibu",
            "mas",
            "mbak",
            "bang",
            "datuk",
            "datuk seri",
            "dato",
            "dato seri",
            "tan sri",
            "tun",
            "syekh",
            "sheikh",
            "letnan jenderal",
            "letnan jendral",
            "letjen",
            "dr",
            "dr.",
            "prof",
            "prof.",
        ],
        "name_suffixes": ["jr", "jr.", "sr", "sr."],
        "place_directions_after": [
            "barat",
            "timur",
            "utara",
            "selatan",
            "tengah",
            "pusat",
            "tenggara",
            "barat daya",
            "barat laut",
            "timur laut",
        ],
        "place_directions_before": [],
        "place_prefixes": ["republik", "republik islam", "republik rakyat", "republik demokratik", "kerajaan"],
        "not_alone": [
            "kantor",
            "gedung",
            "pemerintah",
            "sekretariat",
            "harian",
            "pusat",
            "posko",
            "wisma",
            "balai",
            # the legal form of a company, not its name: "PT KAI (Persero)", "PT Maju Jaya Tbk"
            "persero",
            "tbk",
        ],
        "acronym_countries": ["RI"],
        "org_continuations": ["plus"],
        # number words that are also place names ("Lima"): a number when a lower-case word or a number follows
        "number_words": [
            "satu",
            "dua",
            "tiga",
            "empat",
            "lima",
            "enam",
            "tujuh",
            "delapan",
            "sembilan",
            "sepuluh",
            "seratus",
            "seribu",
        ],
        # "Jakarta, NU Online" alone on a line: a place, then an outlet whose name ends in one of these
        "outlet_words": ["online", "news", "post", "pos", "times", "tv", "daily", "media", "network", "today"],
        # a credit line: "Penulis: Name | Editor: Name" (the editor cues name who edited, not who wrote)
        "byline_cues": ["Penulis", "Reporter", "Wartawan", "Pewarta"],
        "editor_cues": ["Editor", "Penyunting"],
        "excluded_line_starts": [
            "baca juga",
            "baca:",
            "simak juga",
            "lihat juga",
            "berita lain terkait",
            "berita terkait",
            "artikel ini telah tayang",
            "baca berita",
            "ikuti berita",
            "simak berita",
            "tonton juga",
            "video:",
            "editor:",
            "sumber:",
        ],
    },
    "en": {
        "titles": _phrases(_EN_TITLES),
        "title_articles": ["the"],
        "title_words": _words(_EN_PORTFOLIO),
        "org_heads": _phrases(_EN_ORG_HEADS),
        "org_tails": _phrases(_EN_ORG_TAILS),
        "place_heads": _phrases(_EN_PLACE_HEADS),
        "place_tails": _phrases(_EN_PLACE_TAILS),
        "org_connectors": ["of", "for", "and", "the", "&", "on"],
        "speech_before": ["said", "says", "told", "added"],
        "speech_after": ["said", "says", "told", "added", "stated", "argued", "warned", "insisted"],
        "place_preps": ["in", "at", "from", "near"],
        "name_particles": ["bin", "van", "von", "de", "del", "der", "al", "el", "da", "di", "le", "la"],
        "name_joiners": ["bin", "van", "von", "de", "der", "den", "da", "al", "el", "and", "&", "of", "the"],
        "weekdays": list(_EN_WEEKDAYS),
        "months": list(_EN_MONTHS),
        "quote_verbs": [
            "said",
            "says",
            "added",
            "told",
            "asked",
            "stated",
            "warned",
            "insisted",
            "explained",
            "noted",
            "wrote",
            "argued",
            "stressed",
            "continued",
            "replied",
            "responded",
            "posted",
            "tweeted",
            "recalled",
            "declared",
        ],
        "quote_suffix": "",
        "reporting_verbs": [
            "said",
            "says",
            "added",
            "told",
            "stated",
            "warned",
            "insisted",
            "explained",
            "noted",
            "argued",
            "stressed",
            "claimed",
            "admitted",
            "announced",
            "emphasised",
            "emphasized",
            "highlighted",
            "responded",
            "replied",
            "wrote",
            "posted",
            "tweeted",
            "declared",
        ],
        "according_to": ["according to"],
        "complementizers": ["that"],
        "pronouns": ["he", "she", "they"],
        "fillers": ["also", "again", "then", "later", "earlier", "has", "had", "have", "further"],
        "channel_cues": ["quoted by", "told", "in an interview with", "speaking to", "according to"],
        "reporter_words": ["reporters", "journalists", "the press", "media", "the media"],
        "to_reporters": ["told", "to"],  # "told reporters", "said to reporters"
        "date_preps": ["on"],
        "affiliation_words": ["of", "the", "from"],  # "Maria Gunawan of the Centre for … said"
        "determiners": ["a", "the", "its", "his", "her"],
        "event_label_trailers": ["of", "the", "between"],  # "signing of the" reads better as "signing"
        "anaphor_determiners": ["the", "that", "this"],
        # English names the speaker after "said" in the active voice; no passive cue
        "passive_verbs": [],
        "event_cues": {
            "PressConference": ["press conference", "news conference", "press briefing", "briefing"],
            "Meeting": [
                "meeting",
                "talks",
                "bilateral meeting",
                "ministerial",
                "ministerial meeting",
                "retreat",
                "business forum",
            ],
            "Summit": ["summit"],
            "Visit": ["visit", "state visit"],
            "PhoneCall": ["phone call", "telephone call", "by phone", "by telephone", "phone conversation"],
            "Signing": ["signing", "signing ceremony"],
            "Ceremony": [
                "inauguration",
                "ceremony",
                "welcoming ceremony",
                "welcome ceremony",
                "swearing-in",
                "state dinner",
                "gala dinner",
            ],
        },
        "event_verbs": {
            "Meeting": ["met", "meets", "meet", "hosted", "hosts"],
            "Visit": ["visited", "visiting", "toured"],
            "PhoneCall": ["phoned"],
            "Signing": ["signed"],
            "Ceremony": ["inaugurated"],
        },
        "doorstop_cues": ["told reporters", "told journalists", "told the media", "told a news conference"],
        "event_after": ["after", "following"],
        "event_sidelines": ["sidelines", "sideline", "margins", "margin"],
        "event_boundaries": ["ahead", "before", "after", "following", "while", "when", "as", "then"],
        "event_anaphors": [],
        "event_qualifiers": [
            "of",
            "between",
            "the",
            "foreign",
            "defence",
            "defense",
            "ministers",
            "leaders",
            "annual",
            "emergency",
            "bilateral",
            "state",
            "news",
            "press",
            "ministerial",
        ],
        "event_at": ["at", "during", "in", "on", "after"],
        "said_at": ["said", "told", "spoke", "speaking", "remarks", "statement"],
        "honorifics": [
            "mr",
            "mr.",
            "mrs",
            "mrs.",
            "ms",
            "ms.",
            "dr",
            "dr.",
            "sir",
            "dame",
            "datuk",
            "datuk seri",
            "dato",
            "dato seri",
            "tan sri",
            "tun",
            "sheikh",
            "prof",
            "prof.",
        ],
        "name_suffixes": ["jr", "jr.", "sr", "sr."],
        "place_directions_after": [],
        "place_directions_before": [
            "north",
            "south",
            "east",
            "west",
            "central",
            "northern",
            "southern",
            "eastern",
            "western",
            "southeast",
            "southwest",
            "northeast",
            "northwest",
        ],
        "place_prefixes": [],
        "not_alone": ["secretariat", "government", "office", "officers", "executives", "people"],
        "acronym_countries": [],
        "number_words": [],
        "org_continuations": ["plus"],
        "outlet_words": ["online", "news", "post", "times", "tv", "daily", "media", "network", "today", "tribune"],
        "byline_cues": [
            "Author",
            "Reporter",
            "Written by",
            "Writing by",
            "Reporting by",
            "Additional reporting by",
            "By",
        ],
        "editor_cues": ["Editor", "Editing by"],
        "excluded_line_starts": [
            "read also",
            "read more",
            "also read",
            "related:",
            "see also",
            "related coverage",
            "sign up",
            "watch:",
            "editor:",
            "source:",
        ],
    },
}


# A full name whose last word is a particle or a generational suffix ("Mahathir bin", "Marcos Jr.")
# gives the KB no surname: these words in any language, since the KB serves every pipeline.
NAME_PARTICLES = frozenset(word for words in LEXICONS.values() for word in words["name_particles"])
NAME_SUFFIXES = frozenset(word.rstrip(".") for words in LEXICONS.values() for word in words["name_suffixes"])
# A patronymic marks what follows as a father's name, not a surname ("Anwar bin Ibrahim").
PATRONYMICS = frozenset({"bin", "binti", "bint", "ibn", "ben"})

# kg_dates reads the dates of every language in any article (an English date in an Indonesian one)
MONTHS = {**_ID_MONTHS, **_EN_MONTHS}
WEEKDAYS = {**_ID_WEEKDAYS, **_EN_WEEKDAYS}
