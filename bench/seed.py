"""Seeded, realistic customer data with known true duplicates.

Entities are generated first (a company or a person), then some of them get
variant records — the way the same customer really ends up in a CRM several
times: short and full company names, region markers moved around, full-width
characters, traditional characters, phone numbers with and without country or
area code, e-mail case, titles ("张总", "张经理") instead of the given name.
Every record carries the id of its entity, so precision and recall of any
duplicate finder can be measured against the truth.
"""

import random

CITIES = [
    ("上海", "021", "Shanghai"), ("北京", "010", "Beijing"), ("广州", "020", "Guangzhou"),
    ("深圳", "0755", "Shenzhen"), ("杭州", "0571", "Hangzhou"), ("南京", "025", "Nanjing"),
    ("成都", "028", "Chengdu"), ("武汉", "027", "Wuhan"), ("苏州", "0512", "Suzhou"), ("天津", "022", "Tianjin"),
]
CORE_A = "华信 嘉禾 新元 恒通 瑞丰 东方 天成 金桥 宏图 海纳 博远 中科 联创 星河 鼎盛 汇丰 永安 长城 锦程 远航".split()
CORE_B = "电子 贸易 机械 软件 物流 医药 建材 食品 纺织 化工 能源 环保 传媒 教育 咨询 光电 汽车 家居".split()
FORMS_CN = ["有限公司", "有限责任公司", "股份有限公司", "科技有限公司", "集团有限公司"]
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗".split()
GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 志强".split()
TITLES = ["总", "经理", "先生", "女士", "主任", "工"]
EN_WORDS = ("North Wind Blue River Summit Pacific Atlas Harbor Pioneer Silver Golden Crown Vertex Orion "
            "Maple Cedar Falcon Eagle Granite Sterling").split()
EN_KINDS = "Trading Logistics Systems Foods Industries Partners Technologies Imports Solutions Holdings".split()
EN_FORMS = [("Ltd.", "Limited"), ("Inc.", "Incorporated"), ("Corp.", "Corporation"), ("LLC", "L.L.C."),
            ("GmbH", "GmbH")]
T2S_SAMPLE = {"华": "華", "东": "東", "电": "電", "贸": "貿", "丰": "豐", "远": "遠", "汇": "匯", "长": "長",
              "锦": "錦"}


def _fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or "A" <= c <= "Z" else c for c in text)


MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                   "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "198", "199"]


# allocated ranges that the phonenumbers metadata does not list as valid (or lists late)
UNLISTED_PREFIXES = ["140", "141", "146", "148", "149", "154", "174", "179"]


def _mobile(rng, prefixes=MOBILE_PREFIXES):
    return rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(8))


def _mobile_variant(rng, mobile):
    return rng.choice([
        "+86 %s %s %s" % (mobile[:3], mobile[3:7], mobile[7:]),
        "0086-%s" % mobile,
        "%s-%s-%s" % (mobile[:3], mobile[3:7], mobile[7:]),
        _fullwidth(mobile),
        "86 %s" % mobile,
    ])


def _landline(rng, area):
    # a local number never starts with 0 or 1; 3-digit area codes (0755...) have 7- or 8-digit numbers
    return "%s-%s%s" % (area, rng.choice("2345678"), "".join(rng.choice("0123456789") for _ in range(7)))


def _landline_variant(rng, phone):
    area, number = phone.split("-")
    return rng.choice([
        "+86 %s %s %s" % (area[1:], number[:4], number[4:]),
        "(%s) %s %s" % (area, number[:4], number[4:]),
        "%s%s" % (area, number),
        "%s-%s 转 %d" % (area, number, rng.randint(100, 899)),
    ])


def _cn_company(rng, city):
    core = rng.choice(CORE_A) + rng.choice(CORE_B)
    form = rng.choice(FORMS_CN)
    return core, form


def _cn_company_variant(rng, city, core, form):
    choice = rng.randrange(5)
    if choice == 0:
        return "%s（%s）%s" % (core, city, form)
    if choice == 1:
        return "%s市%s%s" % (city, core, form)
    if choice == 2:
        return "".join(T2S_SAMPLE.get(c, c) for c in "%s%s%s" % (city, core, form))
    if choice == 3:
        return " %s %s%s " % (city, core, form.replace("有限公司", "有限公司 "))
    return "%s%s" % (city, core)  # the short form people say


def _en_company(rng):
    return "%s %s" % (rng.choice(EN_WORDS), rng.choice(EN_KINDS)), rng.choice(EN_FORMS)


def generate_partners(size, seed=42, dup_rate=0.12, unlisted_share=0.0):
    """Return a list of dicts (res.partner values + '_entity' + '_kind').

    About ``dup_rate`` of the entities get one or two variant records; ``unlisted_share`` of the people's
    mobiles come from ranges the phone metadata does not list (the same stream of values when 0).
    """
    rng = random.Random(seed)
    records = []
    entity = 0
    while len(records) < size:
        entity += 1
        kind = rng.choices(["cn_company", "en_company", "person"], weights=[5, 2, 3])[0]
        city, area, city_en = rng.choice(CITIES)
        n_variants = 0
        if rng.random() < dup_rate:
            n_variants = 1 if rng.random() < 0.8 else 2
        uniq = "%d" % entity
        if kind == "cn_company":
            core, form = _cn_company(rng, city)
            core = core + uniq  # entities are distinct even when the generator repeats words
            phone = _landline(rng, area)
            email = "info%s@%s.example.cn" % (uniq, "co")
            base = {"name": "%s%s%s" % (city, core, form), "is_company": True, "city": city,
                    "phone": phone, "email": email}
            variants = [{"name": _cn_company_variant(rng, city, core, form), "is_company": True, "city": city,
                         "phone": _landline_variant(rng, phone), "email": email.upper() if rng.random() < .5 else False}
                        for _ in range(n_variants)]
        elif kind == "en_company":
            core, (short, full) = _en_company(rng)
            core = "%s %s" % (core, uniq)
            email = "sales%s@example.com" % uniq
            base = {"name": "%s %s" % (core, short), "is_company": True, "city": city_en,
                    "phone": "+86 %s %s" % (area[1:], rng.randint(10000000, 99999999)), "email": email}
            variants = [{"name": rng.choice(["The %s %s" % (core, full), "%s %s" % (core.upper(), full),
                                             "%s, %s" % (core, short)]),
                         "is_company": True, "city": city_en, "email": " %s " % email.title()}
                        for _ in range(n_variants)]
        else:
            surname = rng.choice(SURNAMES)
            given = rng.choice(GIVEN)
            unlisted = unlisted_share and rng.random() < unlisted_share
            mobile = _mobile(rng, UNLISTED_PREFIXES if unlisted else MOBILE_PREFIXES)
            base = {"name": surname + given, "is_company": False, "city": city, "mobile": mobile,
                    "email": "u%s@mail.example.cn" % uniq}
            variants = [{"name": surname + rng.choice(TITLES), "is_company": False, "city": city,
                         "mobile": _mobile_variant(rng, mobile)} for _ in range(n_variants)]
        for rec in [base, *variants]:
            rec["_entity"] = entity
            rec["_kind"] = kind
            records.append(rec)
    return records[:size]


def true_pairs(records, ids):
    """Set of (id_a, id_b) pairs, id_a < id_b, of records that are the same entity."""
    by_entity = {}
    for rec, rid in zip(records, ids, strict=True):
        by_entity.setdefault(rec["_entity"], []).append(rid)
    pairs = set()
    for members in by_entity.values():
        members.sort()
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return pairs


def group_pairs(groups):
    pairs = set()
    for group in groups:
        members = sorted(set(group))
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return pairs


def precision_recall(found, truth):
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    return precision, recall


def generate_leads(size, seed=42):
    rng = random.Random(seed)
    leads = []
    for i in range(size):
        city, _area, _en = rng.choice(CITIES)
        leads.append({
            "name": "%s%s 询价 #%d" % (city, rng.choice(CORE_A) + rng.choice(CORE_B), i),
            "type": "lead",
            "city": city,
            "email_from": "lead%d@example.cn" % i,
            "expected_revenue": rng.randint(1, 500) * 1000,
            "probability": rng.randint(5, 60),
        })
    return leads
