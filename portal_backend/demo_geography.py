"""West Bengal panchayat geography of the demo dataset, as plain data.

`DISTRICTS` is a list of dicts (no imports needed to read it; the NLU lookup-table generator
uses it too):

    {"code": "3208", "lgd_code": "...", "name_en": "Howrah", "name_bn": "হাওড়া",
     "aliases": ["Haora", ...],
     "blocks": [{"code": "3208012", "lgd_code": "...", "name_en": "Udaynarayanpur",
                 "name_bn": "উদয়নারায়ণপুর", "aliases": [...],
                 "gram_panchayats": [{"code": "3208012002", "lgd_code": "...",
                                      "name_en": "Dogachi", "name_bn": "দোগাছি",
                                      "aliases": [...], "invented": False}]}]}

What is real and what is invented (see docs/portal-backend.md):
- District names (all 22 districts that have panchayats; Kolkata has none) and block
  (Panchayat Samiti) names are real, in English and Bengali as written in West Bengal, with
  the spellings people use as aliases. Only several blocks per district are included.
- Codes are INVENTED by the reference backend: district `32DD` numbers the districts
  alphabetically; block `32DDBBB` and GP `32DDBBBPPP` codes are assigned here; LGD codes are
  derived (`lgd_code`), not the real LGD directory.
- GP names are invented (`"invented": True`) except "Dogachi", a real GP name used in the
  department's examples, whose placement in this block is not verified.
- Some names are deliberately ambiguous, as they are in reality: block "Sankrail" exists in
  Howrah and in Jhargram; "Burdwan", "Midnapore", "Dinajpur", "24 Parganas" are aliases of
  two districts each; several invented GP names repeat across blocks (e.g. Rampur).
"""

from __future__ import annotations

CODES_INVENTED = True


def _gp(num: int, name_en: str, name_bn: str, aliases=(), invented: bool = True) -> dict:
    return {
        "num": num,
        "name_en": name_en,
        "name_bn": name_bn,
        "aliases": list(aliases),
        "invented": invented,
    }


def _block(num: int, name_en: str, name_bn: str, aliases, gps) -> dict:
    return {
        "num": num,
        "name_en": name_en,
        "name_bn": name_bn,
        "aliases": list(aliases),
        "gram_panchayats": list(gps),
    }


def _district(num: int, name_en: str, name_bn: str, aliases, blocks) -> dict:
    return {
        "num": num,
        "name_en": name_en,
        "name_bn": name_bn,
        "aliases": list(aliases),
        "blocks": list(blocks),
    }


_RAW = [
    _district(
        1,
        "Alipurduar",
        "আলিপুরদুয়ার",
        ["Alipur Duar", "Alipurduyar", "আলিপুরদুয়ার"],
        [
            _block(
                1,
                "Alipurduar-I",
                "আলিপুরদুয়ার-১",
                ["Alipurduar 1"],
                [_gp(1, "Patlakhawa", "পাতলাখাওয়া"), _gp(2, "Shalkumar", "শালকুমার")],
            ),
            _block(
                3,
                "Falakata",
                "ফালাকাটা",
                ["Phalakata"],
                [_gp(1, "Jateshwar", "জটেশ্বর"), _gp(2, "Rampur", "রামপুর")],
            ),
            _block(
                4,
                "Kalchini",
                "কালচিনি",
                ["Kalcheeni"],
                [_gp(1, "Hamiltonganj", "হ্যামিল্টনগঞ্জ"), _gp(2, "Latabari", "লতাবাড়ি")],
            ),
        ],
    ),
    _district(
        2,
        "Bankura",
        "বাঁকুড়া",
        ["Bankoora", "Bakura", "বাকুড়া"],
        [
            _block(
                1,
                "Bankura-I",
                "বাঁকুড়া-১",
                ["Bankura 1"],
                [_gp(1, "Anchuri", "আঁচুড়ি"), _gp(2, "Kalyanpur", "কল্যাণপুর")],
            ),
            _block(
                4,
                "Bishnupur",
                "বিষ্ণুপুর",
                ["Vishnupur", "Bisnupur"],
                [_gp(1, "Radhanagar", "রাধানগর"), _gp(2, "Ajodhya", "অযোধ্যা")],
            ),
            _block(
                6,
                "Chhatna",
                "ছাতনা",
                ["Chatna"],
                [_gp(1, "Jhantipahari", "ঝাঁটিপাহাড়ি"), _gp(2, "Shalbani", "শালবনি")],
            ),
            _block(
                14,
                "Khatra",
                "খাতড়া",
                ["Khatrah"],
                [_gp(1, "Gopalpur", "গোপালপুর"), _gp(2, "Dahala", "দহলা")],
            ),
        ],
    ),
    _district(
        3,
        "Birbhum",
        "বীরভূম",
        ["Beerbhum", "Birbhoom", "বীরভুম"],
        [
            _block(
                1,
                "Bolpur-Sriniketan",
                "বোলপুর-শ্রীনিকেতন",
                ["Bolpur", "Sriniketan"],
                [_gp(1, "Ruppur", "রূপপুর"), _gp(2, "Sian-Muluk", "সিয়ান-মুলুক", ["Sian Muluk"])],
            ),
            _block(
                11,
                "Rampurhat-I",
                "রামপুরহাট-১",
                ["Rampurhat 1"],
                [_gp(1, "Kusumba", "কুসুম্বা"), _gp(2, "Rampur", "রামপুর")],
            ),
            _block(
                17,
                "Suri-I",
                "সিউড়ি-১",
                ["Siuri 1", "Suri 1", "Siuri-I"],
                [_gp(1, "Kendua", "কেন্দুয়া"), _gp(2, "Alunda", "আলুন্দা")],
            ),
        ],
    ),
    _district(
        4,
        "Cooch Behar",
        "কোচবিহার",
        [
            "Koch Bihar",
            "Coochbehar",
            "Cooch-Behar",
            "Kochbihar",
            "Kuch Bihar",
            "Cooch Bihar",
            "কুচবিহার",
        ],
        [
            _block(
                1,
                "Cooch Behar-I",
                "কোচবিহার-১",
                ["Coochbehar 1", "Koch Bihar 1"],
                [_gp(1, "Guriahati", "গুড়িয়াহাটি"), _gp(2, "Chandamari", "চান্দামারি")],
            ),
            _block(
                3,
                "Dinhata-I",
                "দিনহাটা-১",
                ["Dinhata 1"],
                [_gp(1, "Bhetaguri", "ভেটাগুড়ি"), _gp(2, "Gopalnagar", "গোপালনগর")],
            ),
            _block(
                7,
                "Mathabhanga-I",
                "মাথাভাঙ্গা-১",
                ["Mathabhanga 1", "মাথাভাঙা-১"],
                [_gp(1, "Kedarhat", "কেদারহাট"), _gp(2, "Hazrahat", "হাজরাহাট")],
            ),
            _block(
                11,
                "Tufanganj-I",
                "তুফানগঞ্জ-১",
                ["Tufangunj 1", "Toofanganj 1"],
                [_gp(1, "Balabhut", "বলাভূত"), _gp(2, "Chilakhana", "চিলাখানা")],
            ),
        ],
    ),
    _district(
        5,
        "Dakshin Dinajpur",
        "দক্ষিণ দিনাজপুর",
        ["South Dinajpur", "Dinajpur Dakshin", "Dakhin Dinajpur", "Dinajpur"],
        [
            _block(
                1,
                "Balurghat",
                "বালুরঘাট",
                ["Balurghaat"],
                [_gp(1, "Bolla", "বোল্লা"), _gp(2, "Chakbhrigu", "চকভৃগু")],
            ),
            _block(
                3,
                "Gangarampur",
                "গঙ্গারামপুর",
                ["Gangarampore"],
                [_gp(1, "Nandanpur", "নন্দনপুর"), _gp(2, "Uday", "উদয়")],
            ),
            _block(
                8,
                "Tapan",
                "তপন",
                [],
                [_gp(1, "Ramchandrapur", "রামচন্দ্রপুর"), _gp(2, "Gofanagar", "গোফানগর")],
            ),
        ],
    ),
    _district(
        6,
        "Darjeeling",
        "দার্জিলিং",
        ["Darjiling", "Darjeling", "Siliguri Mahakuma Parishad", "Siliguri", "শিলিগুড়ি মহকুমা পরিষদ"],
        [
            _block(
                6,
                "Matigara",
                "মাটিগাড়া",
                ["Matigarah"],
                [_gp(1, "Atharokhai", "আঠারোখাই"), _gp(2, "Champasari", "চম্পাসারি")],
            ),
            _block(
                8,
                "Naxalbari",
                "নকশালবাড়ি",
                ["Naksalbari", "নক্সালবাড়ি"],
                [_gp(1, "Hatighisa", "হাতিঘিষা"), _gp(2, "Lower Bagdogra", "লোয়ার বাগডোগরা")],
            ),
            _block(
                9,
                "Phansidewa",
                "ফাঁসিদেওয়া",
                ["Fansidewa", "Phansideoa"],
                [_gp(1, "Jalas Nizamtara", "জালাস নিজামতারা"), _gp(2, "Chathat", "চটহাট")],
            ),
        ],
    ),
    _district(
        7,
        "Hooghly",
        "হুগলি",
        ["Hugli", "Hoogly", "Hoogli", "হুগলী"],
        [
            _block(
                1,
                "Arambagh",
                "আরামবাগ",
                ["Arambag"],
                [_gp(1, "Tirol", "তিরোল"), _gp(2, "Salepur", "সালেপুর")],
            ),
            _block(
                4,
                "Chanditala-I",
                "চণ্ডীতলা-১",
                ["Chanditala 1", "চন্ডীতলা-১"],
                [_gp(1, "Krishnarampur", "কৃষ্ণরামপুর"), _gp(2, "Kalyanpur", "কল্যাণপুর")],
            ),
            _block(
                15,
                "Polba-Dadpur",
                "পোলবা-দাদপুর",
                ["Polba Dadpur", "Polba"],
                [_gp(1, "Rajhat", "রাজহাট"), _gp(2, "Sugandha", "সুগন্ধা")],
            ),
            _block(
                17,
                "Singur",
                "সিঙ্গুর",
                ["Singoor"],
                [_gp(1, "Bighati", "বিঘাটি"), _gp(2, "Gopalnagar", "গোপালনগর")],
            ),
        ],
    ),
    _district(
        8,
        "Howrah",
        "হাওড়া",
        ["Haora", "Hawrah", "Howra", "হাওরা"],
        [
            _block(
                1,
                "Amta-I",
                "আমতা-১",
                ["Amta 1"],
                [_gp(1, "Chandrapur", "চন্দ্রপুর"), _gp(2, "Khosalpur", "খোসালপুর")],
            ),
            _block(
                3,
                "Bagnan-I",
                "বাগনান-১",
                ["Bagnan 1"],
                [_gp(1, "Bantul", "বাঁটুল"), _gp(2, "Khalore", "খালোড়")],
            ),
            _block(
                6,
                "Domjur",
                "ডোমজুড়",
                ["Domjure", "Domjor"],
                [_gp(1, "Makardaha", "মাকড়দহ"), _gp(2, "Salap", "সলপ")],
            ),
            _block(
                7,
                "Jagatballavpur",
                "জগৎবল্লভপুর",
                ["Jagatballabhpur", "Jagatballavpore"],
                [_gp(1, "Munshirhat", "মুন্সিরহাট"), _gp(2, "Patihal", "পাতিহাল")],
            ),
            _block(
                9,
                "Sankrail",
                "সাঁকরাইল",
                ["Sankrial", "Sankrael"],
                [_gp(1, "Andul", "আন্দুল"), _gp(2, "Manikpur", "মানিকপুর")],
            ),
            _block(
                12,
                "Udaynarayanpur",
                "উদয়নারায়ণপুর",
                ["Udaynarayanpore", "Udainarayanpur", "Udaya Narayanpur"],
                [
                    _gp(1, "Singti", "সিংটি"),
                    _gp(2, "Dogachi", "দোগাছি", ["Dogachhi", "Dogachia", "দোগাছী"], invented=False),
                    _gp(3, "Rampur", "রামপুর"),
                ],
            ),
            _block(
                13,
                "Uluberia-I",
                "উলুবেড়িয়া-১",
                ["Uluberia 1", "Uluberiya 1"],
                [_gp(1, "Hatgacha", "হাটগাছা"), _gp(2, "Tehatta", "তেহট্ট")],
            ),
        ],
    ),
    _district(
        9,
        "Jalpaiguri",
        "জলপাইগুড়ি",
        ["Jalpaigudi", "Jalpaigri", "জলপাইগুরি"],
        [
            _block(
                2,
                "Dhupguri",
                "ধূপগুড়ি",
                ["Dhupgudi", "Dhupguri Block"],
                [_gp(1, "Gadheyarkuthi", "গধেয়ারকুঠি"), _gp(2, "Magurmari", "মাগুরমারি")],
            ),
            _block(
                3,
                "Jalpaiguri Sadar",
                "জলপাইগুড়ি সদর",
                ["Jalpaiguri"],
                [_gp(1, "Kharija Berubari", "খড়িজা বেরুবাড়ি"), _gp(2, "Mondalghat", "মণ্ডলঘাট")],
            ),
            _block(
                5,
                "Maynaguri",
                "ময়নাগুড়ি",
                ["Moynaguri", "Mainaguri"],
                [_gp(1, "Domohani", "দোমহনি"), _gp(2, "Ramsai", "রামশাই")],
            ),
        ],
    ),
    _district(
        10,
        "Jhargram",
        "ঝাড়গ্রাম",
        ["Jhargam", "Jhargraam"],
        [
            _block(
                1,
                "Binpur-I",
                "বিনপুর-১",
                ["Binpur 1"],
                [_gp(1, "Lalgarh", "লালগড়"), _gp(2, "Dahijuri", "দহিজুড়ি")],
            ),
            _block(
                4,
                "Gopiballavpur-I",
                "গোপীবল্লভপুর-১",
                ["Gopiballavpur 1", "Gopiballabhpur 1"],
                [_gp(1, "Saria", "সারিয়া"), _gp(2, "Alampur", "আলমপুর")],
            ),
            _block(
                6,
                "Jhargram",
                "ঝাড়গ্রাম",
                ["Jhargram Block"],
                [_gp(1, "Radhanagar", "রাধানগর"), _gp(2, "Manikpara", "মানিকপাড়া")],
            ),
            _block(
                8,
                "Sankrail",
                "সাঁকরাইল",
                ["Sankrial"],
                [_gp(1, "Rohini", "রোহিণী"), _gp(2, "Kultikri", "কুলটিকরি")],
            ),
        ],
    ),
    _district(
        11,
        "Kalimpong",
        "কালিম্পং",
        ["Kalimpang", "Kalingpong"],
        [
            _block(
                1,
                "Gorubathan",
                "গরুবাথান",
                ["Gorubathan Block"],
                [_gp(1, "Todey Tangta", "টোডে তাংতা"), _gp(2, "Patengodak", "পাতেনগোদাক")],
            ),
            _block(
                2,
                "Kalimpong-I",
                "কালিম্পং-১",
                ["Kalimpong 1"],
                [_gp(1, "Bong", "বং"), _gp(2, "Dungra", "ডুংরা")],
            ),
        ],
    ),
    _district(
        12,
        "Malda",
        "মালদা",
        ["Maldah", "Maldaha", "Malda District", "মালদহ"],
        [
            _block(
                4,
                "English Bazar",
                "ইংরেজবাজার",
                ["Englishbazar", "Ingrej Bazar", "Ingrejbazar"],
                [_gp(1, "Kotwali", "কোতোয়ালি"), _gp(2, "Amriti", "অমৃতি")],
            ),
            _block(
                6,
                "Kaliachak-I",
                "কালিয়াচক-১",
                ["Kaliachak 1"],
                [_gp(1, "Jalalpur", "জালালপুর"), _gp(2, "Sujapur", "সুজাপুর")],
            ),
            _block(
                12,
                "Manikchak",
                "মানিকচক",
                ["Manikchok"],
                [_gp(1, "Mathurapur", "মথুরাপুর"), _gp(2, "Gopalpur", "গোপালপুর")],
            ),
        ],
    ),
    _district(
        13,
        "Murshidabad",
        "মুর্শিদাবাদ",
        ["Murshidabaad", "Murshidbad"],
        [
            _block(
                3,
                "Berhampore",
                "বহরমপুর",
                ["Baharampur", "Behrampore", "Berhampur"],
                [_gp(1, "Bhakuri", "ভাকুড়ি"), _gp(2, "Radharghat", "রাধারঘাট")],
            ),
            _block(
                7,
                "Domkal",
                "ডোমকল",
                ["Domkol"],
                [_gp(1, "Jitpur", "জিতপুর"), _gp(2, "Raipur", "রায়পুর")],
            ),
            _block(
                13,
                "Kandi",
                "কান্দি",
                ["Kandhi"],
                [_gp(1, "Jashohari", "যশোহরি"), _gp(2, "Rampur", "রামপুর")],
            ),
            _block(
                15,
                "Lalgola",
                "লালগোলা",
                ["Lalgolah"],
                [_gp(1, "Krishnapur", "কৃষ্ণপুর"), _gp(2, "Bilbari", "বিলবাড়ি")],
            ),
        ],
    ),
    _district(
        14,
        "Nadia",
        "নদিয়া",
        ["Nadiya", "Nodia", "Nadia District", "নদীয়া"],
        [
            _block(
                1,
                "Chakdaha",
                "চাকদহ",
                ["Chakdah", "Chakda"],
                [_gp(1, "Dubra", "দুবড়া"), _gp(2, "Silinda", "শিলিন্দা")],
            ),
            _block(
                5,
                "Haringhata",
                "হরিণঘাটা",
                ["Horinghata"],
                [_gp(1, "Birohi", "বিরহী"), _gp(2, "Nagarukhra", "নগরউখড়া")],
            ),
            _block(
                9,
                "Krishnanagar-I",
                "কৃষ্ণনগর-১",
                ["Krishnagar 1", "Krishnanagar 1"],
                [
                    _gp(1, "Bhatjangla", "ভাতজাংলা"),
                    _gp(2, "Dogachhi", "দোগাছি", ["Dogachi"], invented=True),
                ],
            ),
            _block(
                13,
                "Ranaghat-I",
                "রানাঘাট-১",
                ["Ranaghat 1"],
                [_gp(1, "Anulia", "আনুলিয়া"), _gp(2, "Hijuli", "হিজুলি")],
            ),
        ],
    ),
    _district(
        15,
        "North 24 Parganas",
        "উত্তর ২৪ পরগনা",
        [
            "24 Parganas North",
            "North Twenty Four Parganas",
            "Uttar 24 Parganas",
            "N 24 Pgs",
            "North 24 Pgs",
            "24 Parganas",
            "উত্তর চব্বিশ পরগনা",
        ],
        [
            _block(
                2,
                "Barasat-I",
                "বারাসত-১",
                ["Barasat 1"],
                [_gp(1, "Kadambagachi", "কদম্বগাছি"), _gp(2, "Chhotojagulia", "ছোটজাগুলিয়া")],
            ),
            _block(
                5,
                "Basirhat-I",
                "বসিরহাট-১",
                ["Basirhat 1"],
                [_gp(1, "Sankchura", "শাঁকচুড়া"), _gp(2, "Pifa", "পিফা")],
            ),
            _block(
                7,
                "Bongaon",
                "বনগাঁ",
                ["Bangaon", "Bongaon Block"],
                [_gp(1, "Ghatbour", "ঘাটবাওর"), _gp(2, "Sundarpur", "সুন্দরপুর")],
            ),
            _block(
                11,
                "Habra-I",
                "হাবড়া-১",
                ["Habra 1"],
                [_gp(1, "Machhlandapur", "মছলন্দপুর"), _gp(2, "Rampur", "রামপুর")],
            ),
        ],
    ),
    _district(
        16,
        "Paschim Bardhaman",
        "পশ্চিম বর্ধমান",
        [
            "West Bardhaman",
            "West Burdwan",
            "Paschim Burdwan",
            "Burdwan",
            "Bardhaman",
            "পশ্চিম বর্ধমান জেলা",
        ],
        [
            _block(
                3,
                "Durgapur-Faridpur",
                "দুর্গাপুর-ফরিদপুর",
                ["Faridpur Durgapur", "Durgapur"],
                [_gp(1, "Gogla", "গোগলা"), _gp(2, "Lowdoha", "লাউদোহা")],
            ),
            _block(
                5,
                "Kanksa",
                "কাঁকসা",
                ["Kanksha"],
                [_gp(1, "Bonkati", "বনকাটি"), _gp(2, "Molandighi", "মলানদিঘি")],
            ),
            _block(
                7,
                "Salanpur",
                "সালানপুর",
                ["Salanpore"],
                [_gp(1, "Achra", "আছড়া"), _gp(2, "Rupnarayanpur", "রূপনারায়ণপুর")],
            ),
        ],
    ),
    _district(
        17,
        "Paschim Medinipur",
        "পশ্চিম মেদিনীপুর",
        [
            "West Midnapore",
            "West Medinipur",
            "Paschim Midnapore",
            "Midnapore",
            "Medinipur",
            "Paschim Mednipur",
        ],
        [
            _block(
                4,
                "Debra",
                "ডেবরা",
                ["Debra Block"],
                [_gp(1, "Radhamohanpur", "রাধামোহনপুর"), _gp(2, "Bhabanipur", "ভবানীপুর")],
            ),
            _block(
                8,
                "Garhbeta-I",
                "গড়বেতা-১",
                ["Garbeta 1", "Garhbeta 1"],
                [_gp(1, "Amlagora", "আমলাগোড়া"), _gp(2, "Sandhipur", "সন্ধিপুর")],
            ),
            _block(
                13,
                "Kharagpur-I",
                "খড়্গপুর-১",
                ["Kharagpur 1", "Khargapur 1", "খড়গপুর-১"],
                [_gp(1, "Kalaikunda", "কলাইকুণ্ডা"), _gp(2, "Gopali", "গোপালী")],
            ),
            _block(
                15,
                "Midnapore Sadar",
                "মেদিনীপুর সদর",
                ["Medinipur Sadar", "Midnapur Sadar"],
                [_gp(1, "Kankabati", "কঙ্কাবতী"), _gp(2, "Chandra", "চাঁদড়া")],
            ),
        ],
    ),
    _district(
        18,
        "Purba Bardhaman",
        "পূর্ব বর্ধমান",
        [
            "East Bardhaman",
            "East Burdwan",
            "Purba Burdwan",
            "Burdwan",
            "Bardhaman",
            "Barddhaman",
            "বর্ধমান",
        ],
        [
            _block(
                1,
                "Burdwan-I",
                "বর্ধমান-১",
                ["Bardhaman 1", "Burdwan 1"],
                [_gp(1, "Raina", "রায়না"), _gp(2, "Belkash", "বেলকাশ")],
            ),
            _block(
                6,
                "Galsi-I",
                "গলসি-১",
                ["Galsi 1"],
                [_gp(1, "Budbud", "বুদবুদ"), _gp(2, "Kalyanpur", "কল্যাণপুর")],
            ),
            _block(
                10,
                "Kalna-I",
                "কালনা-১",
                ["Kalna 1", "Ambika Kalna 1"],
                [_gp(1, "Dhatrigram", "ধাত্রীগ্রাম"), _gp(2, "Sultanpur", "সুলতানপুর")],
            ),
            _block(
                18,
                "Memari-I",
                "মেমারি-১",
                ["Memari 1"],
                [_gp(1, "Durgapur", "দুর্গাপুর"), _gp(2, "Nimo", "নিমো")],
            ),
        ],
    ),
    _district(
        19,
        "Purba Medinipur",
        "পূর্ব মেদিনীপুর",
        [
            "East Midnapore",
            "East Medinipur",
            "Purba Midnapore",
            "Midnapore",
            "Medinipur",
            "Purba Mednipur",
        ],
        [
            _block(
                4,
                "Contai-I",
                "কাঁথি-১",
                ["Kanthi 1", "Contai 1", "Kanthi-I"],
                [_gp(1, "Dulalpur", "দুলালপুর"), _gp(2, "Majilapur", "মাজিলাপুর")],
            ),
            _block(
                10,
                "Haldia",
                "হলদিয়া",
                ["Haldiya"],
                [_gp(1, "Debhog", "দেভোগ"), _gp(2, "Barghasipur", "বাড়ঘাসিপুর")],
            ),
            _block(
                16,
                "Nandigram-I",
                "নন্দীগ্রাম-১",
                ["Nandigram 1"],
                [_gp(1, "Sonachura", "সোনাচূড়া"), _gp(2, "Kalicharanpur", "কালীচরণপুর")],
            ),
            _block(
                21,
                "Tamluk",
                "তমলুক",
                ["Tamralipta", "Tomluk"],
                [_gp(1, "Nilkunthia", "নীলকুণ্ঠিয়া"), _gp(2, "Radhaballavpur", "রাধাবল্লভপুর")],
            ),
        ],
    ),
    _district(
        20,
        "Purulia",
        "পুরুলিয়া",
        ["Puruliya", "Purulya", "Puruliaa"],
        [
            _block(
                2,
                "Bagmundi",
                "বাঘমুন্ডি",
                ["Baghmundi", "Bagmudi"],
                [_gp(1, "Ajodhya", "অযোধ্যা"), _gp(2, "Matha", "মাঠা")],
            ),
            _block(
                10,
                "Jhalda-I",
                "ঝালদা-১",
                ["Jhalda 1"],
                [_gp(1, "Ilu Jargo", "ইলু জারগো"), _gp(2, "Maru Maseena", "মারু মসিনা")],
            ),
            _block(
                14,
                "Manbazar-I",
                "মানবাজার-১",
                ["Manbazar 1", "Manbajar 1"],
                [_gp(1, "Payra", "পায়রা"), _gp(2, "Gopalpur", "গোপালপুর")],
            ),
            _block(
                17,
                "Purulia-I",
                "পুরুলিয়া-১",
                ["Purulia 1", "Puruliya 1"],
                [_gp(1, "Chakaltore", "চাকলতোড়"), _gp(2, "Sonaijuri", "সোনাইজুড়ি")],
            ),
        ],
    ),
    _district(
        21,
        "South 24 Parganas",
        "দক্ষিণ ২৪ পরগনা",
        [
            "24 Parganas South",
            "South Twenty Four Parganas",
            "Dakshin 24 Parganas",
            "S 24 Pgs",
            "South 24 Pgs",
            "24 Parganas",
            "দক্ষিণ চব্বিশ পরগনা",
        ],
        [
            _block(
                2,
                "Baruipur",
                "বারুইপুর",
                ["Baruipore"],
                [_gp(1, "Shikharbali", "শিখরবালি"), _gp(2, "Madarat", "মদারাট")],
            ),
            _block(
                7,
                "Canning-I",
                "ক্যানিং-১",
                ["Canning 1", "Kyaning 1"],
                [_gp(1, "Dighirpar", "দিঘিরপাড়"), _gp(2, "Matla", "মাতলা")],
            ),
            _block(
                17,
                "Kakdwip",
                "কাকদ্বীপ",
                ["Kakdweep", "Kakdip"],
                [_gp(1, "Pratapaditya Nagar", "প্রতাপাদিত্য নগর"), _gp(2, "Rampur", "রামপুর")],
            ),
            _block(
                19,
                "Kulpi",
                "কুলপি",
                ["Kulpee"],
                [_gp(1, "Babarmahal", "বাবরমহল"), _gp(2, "Ramnagar", "রামনগর")],
            ),
            _block(
                27,
                "Sagar",
                "সাগর",
                ["Sagar Island", "Gangasagar"],
                [_gp(1, "Gangasagar", "গঙ্গাসাগর"), _gp(2, "Mrityunjoy Nagar", "মৃত্যুঞ্জয় নগর")],
            ),
        ],
    ),
    _district(
        22,
        "Uttar Dinajpur",
        "উত্তর দিনাজপুর",
        ["North Dinajpur", "Dinajpur Uttar", "Uttar Dinajpore", "Dinajpur"],
        [
            _block(
                1,
                "Chopra",
                "চোপড়া",
                ["Chopda", "Chopra Block"],
                [_gp(1, "Majhiali", "মাঝিয়ালি"), _gp(2, "Sonapur", "সোনাপুর")],
            ),
            _block(
                4,
                "Islampur",
                "ইসলামপুর",
                ["Islampore"],
                [_gp(1, "Ramganj", "রামগঞ্জ"), _gp(2, "Panditpota", "পণ্ডিতপোতা")],
            ),
            _block(
                7,
                "Raiganj",
                "রায়গঞ্জ",
                ["Raigunj", "Roygonj"],
                [_gp(1, "Bahin", "বাহিন"), _gp(2, "Gouri", "গৌরী")],
            ),
        ],
    ),
]


def _build(raw: list[dict]) -> list[dict]:
    districts = []
    for d in raw:
        dcode = f"32{d['num']:02d}"
        district = {
            "code": dcode,
            "lgd_code": str(300 + d["num"]),
            "name_en": d["name_en"],
            "name_bn": d["name_bn"],
            "aliases": d["aliases"],
            "blocks": [],
        }
        for b in d["blocks"]:
            bcode = f"{dcode}{b['num']:03d}"
            block = {
                "code": bcode,
                "lgd_code": str(3000 + d["num"] * 40 + b["num"]),
                "name_en": b["name_en"],
                "name_bn": b["name_bn"],
                "aliases": b["aliases"],
                "gram_panchayats": [],
            }
            for g in b["gram_panchayats"]:
                block["gram_panchayats"].append(
                    {
                        "code": f"{bcode}{g['num']:03d}",
                        "lgd_code": str(100000 + d["num"] * 4000 + b["num"] * 100 + g["num"]),
                        "name_en": g["name_en"],
                        "name_bn": g["name_bn"],
                        "aliases": g["aliases"],
                        "invented": g["invented"],
                    }
                )
            district["blocks"].append(block)
        districts.append(district)
    return districts


DISTRICTS: list[dict] = _build(_RAW)


def iter_blocks():
    """(district, block) pairs, in data order."""
    for district in DISTRICTS:
        for block in district["blocks"]:
            yield district, block


def iter_gram_panchayats():
    """(district, block, gp) triples, in data order."""
    for district, block in iter_blocks():
        for gp in block["gram_panchayats"]:
            yield district, block, gp
