"""Cue words per language, passed to the components as their config.

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
pengamat | mantan presiden | mantan menteri
"""
_EN_TITLES = """
president | vice president | prime minister | minister | foreign minister | defence minister |
defense minister | secretary general | secretary-general | secretary | spokesman | spokeswoman |
spokesperson | chancellor | governor | mayor | king | queen | prince | general | gen. | director |
director general | chairman | chairwoman | chair | chief | ambassador | envoy | senator | sen. | rep. |
pope | judge | professor | prof. | dr. | mr. | mrs. | ms. | commander | sheikh | sultan | analyst |
former president | former minister | lawmaker | official | deputy
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
organisation | organization | league | company | news agency | centre | center | college | school | hospital | parliament | senate | congress
"""

_ID_PLACE_HEADS = """
kabupaten | kecamatan | kota | provinsi | desa | kelurahan | sungai | gunung | pulau | kepulauan | danau |
selat | teluk | laut | jalan | bandara | pelabuhan | istana | tanjung
"""
_EN_PLACE_HEADS = "mount | lake | gulf of | strait of | port of | bay of | sea of | province of | city of"
_EN_ORG_TAILS = """
ministry | agency | party | council | court | bank | university | commission | department | committee |
institute | police | parliament | corporation | foundation | association | union | house
"""
_EN_PLACE_TAILS = "river | island | islands | sea | strait | province | county | district | region | street | airport"


def _phrases(block: str) -> list[str]:
    return sorted({p.strip() for p in block.replace("\n", " ").split("|") if p.strip()})


def _words(block: str) -> list[str]:
    return sorted(set(block.split()))


LEXICONS: dict[str, dict[str, Any]] = {
    "id": {
        "titles": _phrases(_ID_TITLES),
        "title_words": _words(_ID_PORTFOLIO),
        "org_heads": _phrases(_ID_ORG_HEADS),
        "org_tails": [],
        "place_heads": _phrases(_ID_PLACE_HEADS),
        "place_tails": [],
        "org_connectors": ["dan", "untuk", "bagi", "&"],
        # "kata Federer", "menurut Retno" / "Lavrov mengatakan": speech names a person
        "speech_before": ["kata", "ujar", "ucap", "tegas", "jelas", "tutur", "papar", "tambah", "imbuh",
                          "ungkap", "terang", "sebut", "menurut", "lanjut"],
        "speech_after": ["mengatakan", "menegaskan", "menyebut", "menyebutkan", "menjelaskan", "mengungkapkan",
                         "menambahkan", "menekankan", "menuturkan", "memaparkan", "mengaku", "menyatakan",
                         "berkata", "bilang"],
        "place_preps": ["di", "ke", "dari", "dekat", "menuju"],
        "name_particles": ["bin", "binti", "van", "von", "de", "der", "al", "el"],
        "weekdays": ["senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"],
        "months": ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                   "september", "oktober", "november", "desember", "jan", "feb", "mar", "apr", "jun",
                   "jul", "agu", "agt", "sep", "sept", "okt", "nov", "des"],
        "excluded_line_starts": ["baca juga", "baca:", "simak juga", "lihat juga", "berita lain terkait",
                                 "berita terkait", "artikel ini telah tayang", "baca berita", "ikuti berita",
                                 "simak berita", "tonton juga", "video:", "editor:", "sumber:"],
    },
    "en": {
        "titles": _phrases(_EN_TITLES),
        "title_words": _words(_EN_PORTFOLIO),
        "org_heads": _phrases(_EN_ORG_HEADS),
        "org_tails": _phrases(_EN_ORG_TAILS),
        "place_heads": _phrases(_EN_PLACE_HEADS),
        "place_tails": _phrases(_EN_PLACE_TAILS),
        "org_connectors": ["of", "for", "and", "the", "&", "on"],
        "speech_before": ["said", "says", "told", "added", "according to"],
        "speech_after": ["said", "says", "told", "added", "stated", "argued", "warned", "insisted"],
        "place_preps": ["in", "at", "from", "near"],
        "name_particles": ["bin", "van", "von", "de", "der", "al", "el", "da", "di", "le", "la"],
        "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                     "mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "months": ["january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
                   "jul", "aug", "sep", "sept", "oct", "nov", "dec"],
        "excluded_line_starts": ["read also", "read more", "also read", "related:", "see also",
                                 "related coverage", "sign up",
                                 "watch:", "editor:", "source:"],
    },
}
