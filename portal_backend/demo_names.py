"""Invented people, works and places for the demo dataset (English spellings as used in
West Bengal records). Nothing here is a real person."""

MALE_FIRST = """Abdul Ajit Amal Anil Arup Ashok Bablu Bapi Bikash Bimal Biswajit Chandan Debasish
Dilip Gopal Gour Haradhan Jahangir Kamal Kartick Mahadev Manik Mintu Nirmal Pintu Prabir
Rabin Rafiq Rajesh Ranjit Sahidul Samir Sanjoy Shankar Subal Sujit Swapan Tapan Uttam""".split()
FEMALE_FIRST = """Alpana Anjali Archana Bandana Basanti Chhabi Dipali Gita Jharna Jyotsna Kabita
Lakshmi Malati Mamata Minati Mousumi Nasima Purnima Rekha Rina Rupali Sabina Sandhya Saraswati
Shefali Shibani Sima Sumitra Tapasi Tumpa""".split()
SURNAMES = """Adak Bag Bairagi Barman Bera Bhunia Biswas Das Dolui Ghosh Hansda Hazra Jana Khan
Kisku Mahato Maity Mal Mandal Manna Mondal Murmu Naskar Paul Pramanik Roy Saha Samanta Sardar
Sarkar Sheikh Soren Tudu""".split()

# (English, Bengali, scheme): the work's name as the Gram Panchayat writes it in each language
# The same names as the Gram Panchayat writes them in Bengali (job card registers are kept in
# both scripts).
NAMES_BN = dict(
    zip(
        MALE_FIRST + FEMALE_FIRST + SURNAMES,
        """
আব্দুল অজিত অমল অনিল অরূপ অশোক বাবলু বাপি বিকাশ বিমল বিশ্বজিৎ চন্দন দেবাশিস
দিলীপ গোপাল গৌর হারাধন জাহাঙ্গীর কমল কার্তিক মহাদেব মানিক মিন্টু নির্মল পিন্টু প্রবীর
রবীন রফিক রাজেশ রঞ্জিত সাহিদুল সমীর সঞ্জয় শংকর সুবল সুজিত স্বপন তপন উত্তম
অল্পনা অঞ্জলি অর্চনা বন্দনা বাসন্তী ছবি দীপালি গীতা ঝর্না জ্যোৎস্না কবিতা
লক্ষ্মী মালতী মমতা মিনতি মৌসুমী নাসিমা পূর্ণিমা রেখা রিনা রূপালি সাবিনা সন্ধ্যা সরস্বতী
শেফালি শিবানী সীমা সুমিত্রা তাপসী টুম্পা
আদক বাগ বৈরাগী বর্মন বেরা ভুঁইয়া বিশ্বাস দাস দলুই ঘোষ হাঁসদা হাজরা জানা খান
কিস্কু মাহাতো মাইতি মাল মণ্ডল মান্না মন্ডল মুর্মু নস্কর পাল প্রামাণিক রায় সাহা সামন্ত সর্দার
সরকার শেখ সোরেন টুডু""".split(),
    )
)


def name_bn(name: str) -> str:
    """'Uttam Saha' -> 'উত্তম সাহা' (a name outside the lists stays as written)."""
    return " ".join(NAMES_BN.get(part, part) for part in name.split())


KARMASHREE_WORKS = [
    ("Re-excavation of pond at {v}", "পুকুর সংস্কার — {v}", "Karmashree (P&RD)"),
    ("Plantation along village road at {v}", "গ্রামের রাস্তার ধারে গাছ লাগানো — {v}", "Karmashree (Forest)"),
    (
        "Earthen road from {v} to the main road",
        "মাটির রাস্তা, {v} থেকে বড় রাস্তা পর্যন্ত",
        "Karmashree (P&RD)",
    ),
    (
        "Field channel for irrigation at {v}",
        "সেচের নালা কাটা — {v}",
        "Karmashree (Irrigation & Waterways)",
    ),
    (
        "Land development of community land at {v}",
        "গ্রামের সাধারণ জমির উন্নয়ন — {v}",
        "Karmashree (Agriculture)",
    ),
    ("Drainage channel cleaning at {v}", "নিকাশি নালা পরিষ্কার — {v}", "Karmashree (P&RD)"),
    ("Embankment repair near {v}", "বাঁধ মেরামত — {v}", "Karmashree (Irrigation & Waterways)"),
    ("Nursery raising at {v}", "চারাগাছের নার্সারি — {v}", "Karmashree (Forest)"),
]
VILLAGES = """Paschimpara Purbapara Uttarpara Dakshinpara Majhpara Bagdipara Kalitala Shibtala
Bamunpara Haldarpara Dighirpar Nutangram Puratangram Hatkhola Kumorpara Goalpara""".split()
VILLAGES_BN = """পশ্চিমপাড়া পূর্বপাড়া উত্তরপাড়া দক্ষিণপাড়া মাঝপাড়া বাগদিপাড়া কালীতলা শিবতলা
বামুনপাড়া হালদারপাড়া দিঘিরপাড় নতুনগ্রাম পুরাতনগ্রাম হাটখোলা কুমোরপাড়া গোয়ালপাড়া""".split()

TRADE_TYPES = [
    ("Grocery (mudikhana)", "{s} Bhandar"),
    ("Tailoring shop", "{s} Tailors"),
    ("Sweet shop", "{s} Mistanna Bhandar"),
    ("Medicine shop", "{s} Medical Hall"),
    ("Hardware store", "{s} Hardware"),
    ("Mobile repairing", "{s} Mobile Care"),
    ("Rice mill", "{s} Rice Mill"),
    ("Tea stall", "{s} Tea Stall"),
    ("Cycle repairing", "{s} Cycle Store"),
    ("Fertiliser dealer", "{s} Krishi Kendra"),
]

TOURISM_PROPERTIES = [
    # (name, kind, district code, address, tariff) - invented properties
    (
        "Jhargram Panchayat Tourism Guest House",
        "guest_house",
        "3210",
        "Near Jhargram Raj Palace, Jhargram",
        1200,
    ),
    (
        "Ajodhya Hills Panchayat Home Stay",
        "home_stay",
        "3220",
        "Ajodhya Hills, Bagmundi, Purulia",
        900,
    ),
    (
        "Mukutmanipur Panchayat Samiti Guest House",
        "guest_house",
        "3202",
        "Mukutmanipur, Khatra, Bankura",
        1100,
    ),
    (
        "Gangasagar Panchayat Yatri Niwas",
        "guest_house",
        "3221",
        "Gangasagar, Sagar, South 24 Parganas",
        1000,
    ),
    ("Lataguri Panchayat Home Stay", "home_stay", "3209", "Lataguri, Maynaguri, Jalpaiguri", 1500),
    (
        "Shantiniketan Panchayat Guest House",
        "guest_house",
        "3203",
        "Sriniketan Road, Bolpur, Birbhum",
        1400,
    ),
    ("Lava Panchayat Home Stay", "home_stay", "3211", "Lava, Kalimpong-I, Kalimpong", 1300),
    ("Gadiara Panchayat Tourist Lodge", "guest_house", "3208", "Gadiara, Shyampur, Howrah", 950),
]
TOURISM_PROPERTIES_BN = [
    "ঝাড়গ্রাম পঞ্চায়েত পর্যটন গেস্ট হাউস",
    "অযোধ্যা পাহাড় পঞ্চায়েত হোম স্টে",
    "মুকুটমণিপুর পঞ্চায়েত সমিতি গেস্ট হাউস",
    "গঙ্গাসাগর পঞ্চায়েত যাত্রী নিবাস",
    "লাটাগুড়ি পঞ্চায়েত হোম স্টে",
    "শান্তিনিকেতন পঞ্চায়েত গেস্ট হাউস",
    "লাভা পঞ্চায়েত হোম স্টে",
    "গাদিয়াড়া পঞ্চায়েত টুরিস্ট লজ",
]

ID_TYPES = ["Aadhaar card", "Voter ID (EPIC)", "Passport", "Driving licence", "PAN card"]

BUILDING_CONDITIONS = [
    "Construction shall follow the approved plan; any deviation needs fresh permission of the Gram Panchayat.",
    "A setback of at least 1.5 metres shall be kept from the village road.",
    "No construction on the drainage channel or public land adjoining the plot.",
    "Rain-water shall be drained into the applicant's own soak pit.",
    "This permission is valid for three years from the date of approval.",
]

GP_RECEIPT_HEADS = [
    "Own source revenue - tax on land and buildings",
    "Fees and rates (trade, building plan)",
    "XV Finance Commission grant (tied)",
    "XV Finance Commission grant (untied)",
    "State Finance Commission grant",
    "MGNREGS / Karmashree fund",
    "PMAY-G fund",
]
GP_PAYMENT_HEADS = [
    "Establishment (salaries of GP staff)",
    "Office contingency",
    "Drinking water works",
    "Rural roads and culverts",
    "Sanitation (SBM-G)",
    "MGNREGS / Karmashree wages and material",
    "PMAY-G beneficiary instalments",
    "Street lighting",
]
PS_FUNDS = [
    ("XV Finance Commission", "Tied grant", "Drinking water and sanitation"),
    ("XV Finance Commission", "Untied grant", "Basic services"),
    ("State Finance Commission", "SFC development grant", "Roads and buildings"),
    ("MGNREGS", "Material component", "Works"),
    ("MGNREGS", "Administrative expenses", "Contingency"),
    ("Own Fund", "Own source revenue", "Establishment"),
    ("Deposit", "Security deposit of contractors", "Deposits"),
    ("Karmashree", "State scheme", "Wages"),
]
