"""Tests of the pure-Python normalisation helpers in ``crm_plus.tools`` (no database needed)."""

from stdnum.cn import uscc as stdnum_uscc

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_plus.tools import company_name, components, emails, match, person_name, phone, pinyin, uscc

SHANGHAI_LANDLINE = "+862162881234"
BEIJING_LANDLINE = "+861062881234"
HANGZHOU_LANDLINE = "+8657188881234"
MOBILE = "+8613812345678"


def _with_check_digit(body):
    return body + stdnum_uscc.calc_check_digit(body)


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestPhone(BaseCase):
    def assertPhone(self, raw, e164, extension=None, valid=True, kind=None, region="CN"):
        key = phone.normalize_phone(raw, region)
        self.assertIsNotNone(key, raw)
        self.assertEqual(key.e164, e164, raw)
        self.assertEqual(key.extension, extension, raw)
        self.assertEqual(key.valid, valid, raw)
        if kind:
            self.assertEqual(key.kind, kind, raw)

    def test_mobile_prefixes(self):
        for raw in (
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "0086 13812345678",
            "86 13812345678",
            "8613812345678",
            "(+86)13812345678",
            "手机：13812345678",
            "tel:+8613812345678",
            "13812345678（微信同号）",
        ):
            with self.subTest(raw=raw):
                self.assertPhone(raw, MOBILE, kind="mobile")

    def test_landlines(self):
        for raw, e164 in (
            ("021-62881234", SHANGHAI_LANDLINE),
            ("021 6288 1234", SHANGHAI_LANDLINE),
            ("021.6288.1234", SHANGHAI_LANDLINE),
            ("(021) 6288 1234", SHANGHAI_LANDLINE),
            ("(021)62881234", SHANGHAI_LANDLINE),
            ("+86 21 62881234", SHANGHAI_LANDLINE),
            ("+86 021 62881234", SHANGHAI_LANDLINE),
            ("(+86) 021-62881234", SHANGHAI_LANDLINE),
            ("(0086) 21 62881234", SHANGHAI_LANDLINE),
            ("86 21 6288 1234", SHANGHAI_LANDLINE),
            ("021—62881234", SHANGHAI_LANDLINE),
            ("010-62881234", BEIJING_LANDLINE),
            ("+86 10 62881234", BEIJING_LANDLINE),
            ("+86 010 6288-1234", BEIJING_LANDLINE),
            ("0571-88881234", HANGZHOU_LANDLINE),
            ("+86 571 88881234", HANGZHOU_LANDLINE),
            ("+86 0571 88881234", HANGZHOU_LANDLINE),
        ):
            with self.subTest(raw=raw):
                self.assertPhone(raw, e164, kind="fixed")

    def test_full_width(self):
        self.assertPhone("８６ １３８１２３４５６７８", MOBILE, kind="mobile")
        self.assertPhone("＋８６（０２１）６２８８－１２３４", SHANGHAI_LANDLINE, kind="fixed")
        self.assertPhone("０２１－６２８８１２３４转８０８", SHANGHAI_LANDLINE, extension="808")

    def test_extensions(self):
        self.assertPhone("021-62881234转808", SHANGHAI_LANDLINE, extension="808", kind="fixed")
        self.assertPhone("021-62881234 轉 808", SHANGHAI_LANDLINE, extension="808")
        self.assertPhone("010 6288 1234 分机 12", BEIJING_LANDLINE, extension="12")
        self.assertPhone("021-62881234-808", SHANGHAI_LANDLINE, extension="808")
        self.assertPhone("021-62881234#808", SHANGHAI_LANDLINE, extension="808")
        self.assertPhone("13812345678 ext 5", MOBILE, extension="5", kind="mobile")
        self.assertPhone("+1 650 253 0000 ext. 12", "+16502530000", extension="12")
        self.assertPhone("+1 650 253 0000 EXT 12", "+16502530000", extension="12")
        self.assertPhone("+1 650 253 0000 x 12", "+16502530000", extension="12")
        self.assertPhone("+1 650 253 0000 x12", "+16502530000", extension="12")

    def test_local_number_without_area_code(self):
        """A bare local number cannot be made E.164: it is returned but flagged invalid."""
        self.assertPhone("62881234", "+8662881234", valid=False, kind="other")
        self.assertPhone("62881234#8", "+8662881234", extension="8", valid=False, kind="other")
        self.assertEqual(phone.phone_keys("62881234"), [])

    def test_regions(self):
        self.assertPhone("650 253 0000", "+16502530000", region="US")
        self.assertPhone("650 253 0000", "+16502530000", region="us")
        self.assertPhone("+1 650 253 0000", "+16502530000", region="CN", kind="other")
        self.assertPhone("+852 2123 4567", "+85221234567", kind="fixed")
        # no region given: China
        self.assertPhone("13812345678", MOBILE, region=None)
        self.assertPhone("13812345678", MOBILE, region="")
        # unknown region: only international numbers can be read
        self.assertIsNone(phone.normalize_phone("650 253 0000", "XX"))
        self.assertPhone("+1 650 253 0000", "+16502530000", region="XX")

    def test_other_kinds(self):
        self.assertPhone("400-800-8888", "+864008008888", kind="other")

    def test_garbage(self):
        for raw in (None, False, "", "   ", "abc", "n/a", "无", "---", "12", "1-800-FLOWERS", "ＸＸ", "x123"):
            with self.subTest(raw=raw):
                self.assertIsNone(phone.normalize_phone(raw))

    def test_split_phones(self):
        self.assertEqual(phone.split_phones("13812345678/13912345678"), ["13812345678", "13912345678"])
        self.assertEqual(phone.split_phones("021-62881234；13812345678"), ["021-62881234", "13812345678"])
        self.assertEqual(phone.split_phones("021-62881234; 13812345678"), ["021-62881234", "13812345678"])
        self.assertEqual(phone.split_phones("021-62881234，13812345678"), ["021-62881234", "13812345678"])
        self.assertEqual(
            phone.split_phones("13812345678、021-62881234或0571-88881234"),
            ["13812345678", "021-62881234", "0571-88881234"],
        )
        self.assertEqual(phone.split_phones("13812345678 13912345678"), ["13812345678", "13912345678"])
        self.assertEqual(phone.split_phones("0086 13812345678"), ["0086 13812345678"])
        self.assertEqual(phone.split_phones("021 6288 1234 转 808"), ["021 6288 1234 转 808"])
        self.assertEqual(phone.split_phones("021-62881234, 021-62881234"), ["021-62881234"])
        self.assertEqual(phone.split_phones(None), [])
        self.assertEqual(phone.split_phones(""), [])

    def test_phone_keys(self):
        self.assertEqual(
            phone.phone_keys("13812345678、021-62881234或0571-88881234"),
            [MOBILE, SHANGHAI_LANDLINE, HANGZHOU_LANDLINE],
        )
        self.assertEqual(phone.phone_keys("13812345678 / +86 138 1234 5678 / abc / 62881234"), [MOBILE])
        self.assertEqual(phone.phone_keys(None), [])


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestEmails(BaseCase):
    def test_single(self):
        self.assertEqual(emails.normalize_emails("John@Example.COM"), ["john@example.com"])
        self.assertEqual(emails.normalize_email("  John@Example.COM  "), "john@example.com")
        self.assertEqual(emails.normalize_email("<john@example.com>"), "john@example.com")
        self.assertEqual(emails.normalize_email("mailto:Foo@Bar.org?subject=hi"), "foo@bar.org")
        self.assertEqual(emails.normalize_email("张三 <zhang@qq.com>"), "zhang@qq.com")
        self.assertEqual(emails.normalize_email("张三<Zhang@QQ.com>"), "zhang@qq.com")
        self.assertEqual(emails.normalize_email('"Smith, John" <john.smith@acme.co.uk>'), "john.smith@acme.co.uk")
        self.assertEqual(emails.normalize_email("user+tag@sub.example.com"), "user+tag@sub.example.com")
        self.assertEqual(emails.normalize_email("a@b.com."), "a@b.com")

    def test_full_width(self):
        self.assertEqual(emails.normalize_email("ｚｈａｎｇ＠ｑｑ．ｃｏｍ"), "zhang@qq.com")
        self.assertEqual(emails.normalize_email("zhang@qq。com"), "zhang@qq.com")

    def test_several(self):
        self.assertEqual(emails.normalize_emails("a@b.com, c@d.cn; A@B.com"), ["a@b.com", "c@d.cn"])
        self.assertEqual(
            emails.normalize_emails("a@b.com，c@d.com；e@f.com、g@h.com"),
            ["a@b.com", "c@d.com", "e@f.com", "g@h.com"],
        )
        self.assertEqual(emails.normalize_emails("a@b.com\nc@d.com  e@f.com"), ["a@b.com", "c@d.com", "e@f.com"])
        self.assertEqual(emails.normalize_emails("bad@, good@x.org"), ["good@x.org"])
        self.assertEqual(emails.normalize_email("bad@, good@x.org"), "good@x.org")

    def test_invalid(self):
        for raw in (None, False, "", "not-an-email", "a@b", "@b.com", "a@@b.com", "a..b@c.com", "bad@-x.com", "a b"):
            with self.subTest(raw=raw):
                self.assertEqual(emails.normalize_emails(raw), [])
                self.assertIsNone(emails.normalize_email(raw))


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestCompanyName(BaseCase):
    def test_chinese_variants_share_core(self):
        for raw in (
            "上海华信电子科技有限公司",
            "华信电子科技（上海）有限公司",
            "华信电子科技(上海)有限公司",
            "上海市华信电子科技有限公司",
            " 上海 華信電子科技有限公司 ",
            "上海华信电子科技股份有限公司",
            "【上海】华信电子科技有限公司",
        ):
            with self.subTest(raw=raw):
                name = company_name.canonical_company_name(raw)
                self.assertEqual(name.core, "华信电子科技")
                self.assertEqual(name.region, "上海")

    def test_parts(self):
        name = company_name.canonical_company_name("上海华信电子科技股份有限公司")
        self.assertEqual(name.legal_form, "股份有限公司")
        self.assertEqual(name.normalized, "上海华信电子科技股份有限公司")
        name = company_name.canonical_company_name(" 上海 華信電子科技有限公司 ")
        self.assertEqual(tuple(name), ("华信电子科技", "有限公司", "上海", "上海华信电子科技有限公司"))
        name = company_name.canonical_company_name("华信电子科技（上海）有限公司")
        self.assertEqual(name.normalized, "华信电子科技上海有限公司")

    def test_industry_words_are_kept(self):
        self.assertEqual(company_name.canonical_company_name("华信电子科技有限公司").core, "华信电子科技")
        self.assertEqual(company_name.canonical_company_name("华信贸易有限公司").core, "华信贸易")
        self.assertNotEqual(
            company_name.canonical_company_name("华信科技有限公司").core,
            company_name.canonical_company_name("华信贸易有限公司").core,
        )

    def test_chinese_legal_forms(self):
        for raw, core, legal_form in (
            ("华信有限责任公司", "华信", "有限责任公司"),
            ("华信电子集团股份有限公司", "华信电子", "集团股份有限公司"),
            ("华信集团有限公司", "华信", "集团有限公司"),
            ("华信（集团）有限公司", "华信", "集团有限公司"),
            ("华信集团", "华信", "集团"),
            ("华信公司", "华信", "公司"),
            ("华信总公司", "华信", "总公司"),
            ("华信投资合伙企业（有限合伙）", "华信投资", "合伙企业有限合伙"),
            ("张三个体工商户", "张三", "个体工商户"),
            ("红星电器厂", "红星电器", "厂"),
            ("红星商行", "红星", "商行"),
            ("红星设计工作室", "红星设计", "工作室"),
            ("中国银行股份有限公司", "中国银行", "股份有限公司"),
        ):
            with self.subTest(raw=raw):
                name = company_name.canonical_company_name(raw)
                self.assertEqual((name.core, name.legal_form), (core, legal_form))

    def test_regions(self):
        for raw, core, region in (
            ("江苏省南京市华信科技有限公司", "华信科技", "南京"),
            ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统", "深圳"),
            ("廣西壯族自治區南寧市華信有限公司", "华信", "南宁"),
            ("ＡＢＣ科技（深圳）有限公司", "abc科技", "深圳"),
            ("华信（中国）有限公司", "华信", "中国"),
            ("华信电子科技有限公司上海分公司", "华信电子科技", "上海"),
            ("中国银行上海分行", "中国银行", "上海"),
            ("吉林市华信有限公司", "华信", "吉林"),
        ):
            with self.subTest(raw=raw):
                name = company_name.canonical_company_name(raw)
                self.assertEqual((name.core, name.region), (core, region))

    def test_region_kept_when_rest_is_generic(self):
        self.assertEqual(tuple(company_name.canonical_company_name("北京大学")), ("北京大学", "", "北京", "北京大学"))
        self.assertEqual(company_name.canonical_company_name("北京国际贸易有限公司").core, "北京国际贸易")
        self.assertEqual(company_name.canonical_company_name("上海市场调研有限公司").core, "上海市场调研")

    def test_international(self):
        for raw in ("Northwind Trading Ltd.", "NORTHWIND TRADING LIMITED", "The Northwind Trading Co., Ltd."):
            with self.subTest(raw=raw):
                self.assertEqual(company_name.canonical_company_name(raw).core, "northwind trading")
        name = company_name.canonical_company_name("The Northwind Trading Co., Ltd.")
        self.assertEqual(name.legal_form, "co ltd")
        self.assertEqual(name.normalized, "the northwind trading co ltd")
        for raw, core, legal_form in (
            ("Acme, L.L.C.", "acme", "llc"),
            ("Acme LLC", "acme", "llc"),
            ("Nestlé S.A.", "nestlé", "sa"),
            ("Siemens AG", "siemens", "ag"),
            ("Foo Pte. Ltd.", "foo", "pte ltd"),
            ("Foo Pty Ltd", "foo", "pty ltd"),
            ("Foo Incorporated", "foo", "incorporated"),
            ("ABC GmbH & Co. KG", "abc", "gmbh co kg"),
            ("Smith & Sons Ltd", "smith and sons", "ltd"),
            ("Smith and Co", "smith", "co"),
            ("J.P. Morgan Chase & Co.", "jp morgan chase", "co"),
            ("Tencent Holdings Limited", "tencent holdings", "limited"),
            ("ソニー株式会社", "ソニー", "株式会社"),
            ("株式会社東芝", "东芝", "株式会社"),
            ("abc科技ltd", "abc科技", "ltd"),
            ("Theatre Ltd", "theatre", "ltd"),
        ):
            with self.subTest(raw=raw):
                name = company_name.canonical_company_name(raw)
                self.assertEqual((name.core, name.legal_form), (core, legal_form))

    def test_core_never_empty(self):
        for raw, core in (
            ("有限公司", "有限公司"),
            ("上海有限公司", "上海"),
            ("Ltd", "ltd"),
            ("Pte Ltd", "pte ltd"),
            ("The Company", "the company"),
        ):
            with self.subTest(raw=raw):
                self.assertEqual(company_name.canonical_company_name(raw).core, core)

    def test_empty(self):
        for raw in (None, False, "", "   ", "（）"):
            with self.subTest(raw=raw):
                self.assertEqual(tuple(company_name.canonical_company_name(raw)), ("", "", "", ""))
                self.assertFalse(company_name.is_probably_company(raw))

    def test_is_probably_company(self):
        self.assertTrue(company_name.is_probably_company("上海华信电子科技有限公司"))
        self.assertTrue(company_name.is_probably_company("华信集团"))
        self.assertTrue(company_name.is_probably_company("Northwind Trading Ltd."))
        self.assertTrue(company_name.is_probably_company("Siemens AG"))
        self.assertFalse(company_name.is_probably_company("张伟"))
        self.assertFalse(company_name.is_probably_company("北京大学"))
        self.assertFalse(company_name.is_probably_company("John Smith"))


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestUscc(BaseCase):
    VALID = "91110000600037341L"

    def test_clean(self):
        self.assertEqual(uscc.clean_uscc(" 9111 0000-6000 37341l "), self.VALID)
        self.assertEqual(uscc.clean_uscc("９１１１００００６０００３７３４１Ｌ"), self.VALID)
        self.assertEqual(uscc.clean_uscc(None), "")

    def test_valid(self):
        self.assertEqual(uscc.check_uscc(self.VALID), (True, self.VALID, None))
        self.assertEqual(uscc.check_uscc("9111 0000-6000 37341l"), (True, self.VALID, None))
        self.assertEqual(uscc.check_uscc("９１１１００００６０００３７３４１Ｌ"), (True, self.VALID, None))
        for body in (
            "91310000MA1FL4MR7",
            "92440300MA5F00000",
            "93440300MA5EXAMPL",
            "51110000500000000",
            "12100000400011137",
        ):
            code = _with_check_digit(body)
            with self.subTest(code=code):
                self.assertEqual(uscc.check_uscc(code), (True, code, None))
        self.assertEqual(uscc.check_uscc("91310000MA1FL4MR7A"), (True, "91310000MA1FL4MR7A", None))

    def test_letter_authorities(self):
        """GB 32100 allows A / N / Y as first character; stdnum rejects them, the checksum still applies."""
        for body in ("Y1110000MA0000000", "N2330100MA2A00001", "A1110000600037341"):
            code = _with_check_digit(body)
            with self.subTest(code=code):
                self.assertEqual(uscc.check_uscc(code), (True, code, None))
        self.assertEqual(uscc.check_uscc("Y1110000MA000000XX")[2], "checksum")
        self.assertEqual(uscc.check_uscc("B1110000600037341L")[2], "format")

    def test_errors(self):
        self.assertEqual(uscc.check_uscc("91110000600037341M"), (False, "91110000600037341M", "checksum"))
        self.assertEqual(uscc.check_uscc("91310000MA1FL4MR7Q"), (False, "91310000MA1FL4MR7Q", "checksum"))
        self.assertEqual(uscc.check_uscc("9111000060003734"), (False, "9111000060003734", "length"))
        self.assertEqual(uscc.check_uscc("91110000600037341LX")[2], "length")
        self.assertEqual(uscc.check_uscc("9111000060003734IL")[2], "format")
        self.assertEqual(uscc.check_uscc("911100006000373O1L")[2], "format")
        self.assertEqual(uscc.check_uscc("ABCDEFGHJKLMNPQRTU")[2], "format")
        self.assertEqual(uscc.check_uscc(None), (False, "", "empty"))
        self.assertEqual(uscc.check_uscc(" - "), (False, "", "empty"))

    def test_describe(self):
        self.assertEqual(
            uscc.describe_uscc(self.VALID),
            {
                "code": self.VALID,
                "valid": True,
                "error": None,
                "authority_code": "9",
                "authority": "工商/市场监管",
                "entity_type_code": "91",
                "entity_type": "企业",
                "division_code": "110000",
                "division_level": "province",
                "province_code": "11",
                "province": "北京市",
                "organization_code": "600037341",
                "check_digit": "L",
            },
        )

    def test_describe_types_and_regions(self):
        for body, authority, entity_type, province, level in (
            ("92440300MA5F00000", "工商/市场监管", "个体工商户", "广东省", "city"),
            ("93330106MA2A00000", "工商/市场监管", "农民专业合作社", "浙江省", "county"),
            ("11100000000013127", "机构编制", "机关", "国家级", "national"),
            ("12310000400011137", "机构编制", "事业单位", "上海市", "province"),
            ("51110000500000000", "民政", "社会团体", "北京市", "province"),
            ("52440000MJ0000000", "民政", "民办非企业单位", "广东省", "province"),
            ("53100000500000000", "民政", "基金会", "国家级", "national"),
            ("31650000MD0000000", "司法行政", "律师执业机构", "新疆维吾尔自治区", "province"),
            ("Y1450100MA0000000", "其他", "其他", "广西壮族自治区", "city"),
            ("N2330100MA2A00001", "农业", "村级集体经济组织", "浙江省", "city"),
        ):
            info = uscc.describe_uscc(_with_check_digit(body))
            with self.subTest(body=body):
                self.assertTrue(info["valid"])
                self.assertEqual(
                    (info["authority"], info["entity_type"], info["province"], info["division_level"]),
                    (authority, entity_type, province, level),
                )

    def test_all_provinces(self):
        mainland = [code for code in uscc.PROVINCES if 11 <= int(code) <= 65]
        self.assertEqual(len(mainland), 31)
        self.assertEqual(uscc.PROVINCES["11"], "北京市")
        self.assertEqual(uscc.PROVINCES["31"], "上海市")
        self.assertEqual(uscc.PROVINCES["44"], "广东省")
        self.assertEqual(uscc.PROVINCES["33"], "浙江省")
        self.assertEqual(uscc.PROVINCES["50"], "重庆市")

    def test_describe_invalid(self):
        info = uscc.describe_uscc("91110000600037341M")
        self.assertFalse(info["valid"])
        self.assertEqual(info["error"], "checksum")
        self.assertEqual(info["province"], "北京市")  # still decoded: the code may have a typo in the check digit
        info = uscc.describe_uscc("12345")
        self.assertEqual((info["valid"], info["error"], info["authority"], info["province"]), (False, "length", "", ""))
        info = uscc.describe_uscc(None)
        self.assertEqual((info["code"], info["error"]), ("", "empty"))


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestPersonName(BaseCase):
    def assertName(self, raw, surname, given, title, full):
        self.assertEqual(tuple(person_name.split_salutation(raw)), (surname, given, title, full), raw)

    def test_chinese(self):
        self.assertName("张伟", "张", "伟", "", "张伟")
        self.assertName("张总", "张", "", "总", "张")
        self.assertName("王工", "王", "", "工", "王")
        self.assertName("李经理", "李", "", "经理", "李")
        self.assertName("刘总经理", "刘", "", "总经理", "刘")
        self.assertName("黄董事长", "黄", "", "董事长", "黄")
        self.assertName("陈女士", "陈", "", "女士", "陈")
        self.assertName("赵工程师", "赵", "", "工程师", "赵")
        self.assertName("张伟经理", "张", "伟", "经理", "张伟")
        self.assertName("王小明先生", "王", "小明", "先生", "王小明")
        self.assertName("張偉", "张", "伟", "", "张伟")
        self.assertName("张  伟", "张", "伟", "", "张伟")
        self.assertName("张伟 David", "张", "伟", "", "张伟")
        self.assertName("小王", "王", "", "小", "王")
        self.assertName("老李", "李", "", "老", "李")
        self.assertName("小明", "小", "明", "", "小明")
        self.assertName("王建工", "王", "建工", "", "王建工")  # 工 is a title only right after a bare surname
        self.assertName("约翰·史密斯", "史密斯", "约翰", "", "约翰·史密斯")
        self.assertName("阿姨", "", "", "阿姨", "")

    def test_compound_surnames(self):
        self.assertName("欧阳修", "欧阳", "修", "", "欧阳修")
        self.assertName("欧阳总", "欧阳", "", "总", "欧阳")
        self.assertName("司马光", "司马", "光", "", "司马光")
        self.assertName("诸葛亮老师", "诸葛", "亮", "老师", "诸葛亮")
        self.assertName("上官婉儿", "上官", "婉儿", "", "上官婉儿")
        for surname in ("东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木"):
            with self.subTest(surname=surname):
                self.assertEqual(person_name.split_salutation(surname + "明").surname, surname)

    def test_latin(self):
        self.assertName("Mr. John Smith", "Smith", "John", "Mr", "John Smith")
        self.assertName("Dr Smith", "Smith", "", "Dr", "Smith")
        self.assertName("Mrs. Jane Ann Doe", "Doe", "Jane Ann", "Mrs", "Jane Ann Doe")
        self.assertName("Ms Ｊａｎｅ Ｄｏｅ", "Doe", "Jane", "Ms", "Jane Doe")
        self.assertName("Prof. Dr. Hans Müller", "Müller", "Hans", "Prof", "Hans Müller")
        self.assertName("Smith, John", "Smith", "John", "", "John Smith")
        self.assertName("Mr Smith, John", "Smith", "John", "Mr", "John Smith")
        self.assertName("John Smith Jr.", "Smith", "John", "", "John Smith")
        self.assertName("John Smith, Jr.", "Smith", "John", "", "John Smith")
        self.assertName("madonna", "madonna", "", "", "madonna")
        self.assertName("Mr.", "", "", "Mr", "")

    def test_empty(self):
        for raw in (None, False, "", "   "):
            with self.subTest(raw=raw):
                self.assertName(raw, "", "", "", "")
                self.assertEqual(person_name.person_key(raw), "")

    def test_person_key(self):
        self.assertEqual(person_name.person_key("张伟"), "张伟")
        self.assertEqual(person_name.person_key("張偉經理"), "张伟")
        self.assertEqual(person_name.person_key("张总"), "张*")
        self.assertEqual(person_name.person_key("欧阳总"), "欧阳*")
        self.assertEqual(person_name.person_key("Mr. John Smith"), "smith john")
        self.assertEqual(person_name.person_key("JOHN SMITH"), "smith john")
        self.assertEqual(person_name.person_key("Smith, John"), "smith john")
        self.assertEqual(person_name.person_key("Dr Smith"), "smith*")
        self.assertEqual(person_name.person_key("阿姨"), "")


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestPinyin(BaseCase):
    def test_basic(self):
        self.assertEqual(pinyin.pinyin_keys("张伟"), ("zhangwei", "zw"))
        self.assertEqual(pinyin.pinyin_keys("張偉"), ("zhangwei", "zw"))
        self.assertEqual(pinyin.pinyin_keys("重庆"), ("chongqing", "cq"))
        self.assertEqual(pinyin.pinyin_keys("绿色"), ("lvse", "ls"))
        self.assertEqual(pinyin.pinyin_keys("欧阳修", person=True), ("ouyangxiu", "oyx"))

    def test_latin_and_digits(self):
        self.assertEqual(pinyin.pinyin_keys("华为 Technologies 2024"), ("huaweitechnologies2024", "hwt2024"))
        self.assertEqual(pinyin.pinyin_keys("ＡＢＣ科技"), ("abckeji", "akj"))
        self.assertEqual(pinyin.pinyin_keys("3M中国"), ("3mzhongguo", "3mzg"))
        self.assertEqual(pinyin.pinyin_keys("Hello World"), ("helloworld", "hw"))

    def test_surname_readings(self):
        for name, expected in (
            ("曾小明", ("zengxiaoming", "zxm")),
            ("单田芳", ("shantianfang", "stf")),
            ("解缙", ("xiejin", "xj")),
            ("仇英", ("qiuying", "qy")),
            ("朴槿惠", ("piaojinhui", "pjh")),
            ("查良镛", ("zhaliangyong", "zly")),
            ("乐嘉", ("yuejia", "yj")),
            ("尉迟恭", ("yuchigong", "ycg")),
            ("长孙无忌", ("zhangsunwuji", "zswj")),
        ):
            with self.subTest(name=name):
                self.assertEqual(pinyin.pinyin_keys(name, person=True), expected)
        self.assertEqual(pinyin.pinyin_keys("曾小明"), ("cengxiaoming", "cxm"))

    def test_empty(self):
        self.assertEqual(pinyin.pinyin_keys(None), ("", ""))
        self.assertEqual(pinyin.pinyin_keys(""), ("", ""))
        self.assertEqual(pinyin.pinyin_keys("、。！"), ("", ""))


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestMatch(BaseCase):
    USCC = "91110000600037341L"

    def test_uscc(self):
        a = {"uscc": self.USCC, "company_core": "华信"}
        b = {"uscc": "9111 0000 6000 37341l", "company_core": "别名"}
        self.assertEqual(match.score_pair(a, b), (1.0, ["uscc"]))

    def test_vat(self):
        self.assertEqual(match.score_pair({"vat": "DE123456789"}, {"vat": "DE 123456789"}), (0.95, ["vat"]))
        self.assertEqual(match.score_pair({"vat": self.USCC}, {"uscc": self.USCC}), (0.95, ["vat"]))

    def test_phone_and_email(self):
        self.assertEqual(
            match.score_pair({"phone_keys": {MOBILE}}, {"phone_keys": {MOBILE, SHANGHAI_LANDLINE}}), (0.9, ["phone"])
        )
        self.assertEqual(match.score_pair({"email_keys": {"a@b.com"}}, {"email_keys": {"a@b.com"}}), (0.9, ["email"]))
        self.assertEqual(
            match.score_pair(
                {"phone_keys": {MOBILE}, "email_keys": {"a@b.com"}},
                {"phone_keys": {MOBILE}, "email_keys": {"a@b.com"}},
            ),
            (0.95, ["phone", "email"]),
        )

    def test_name_and_city(self):
        self.assertEqual(
            match.score_pair({"company_core": "华信", "city": "上海"}, {"company_core": "华信", "city": "上海市"}),
            (0.85, ["name_city"]),
        )
        self.assertEqual(
            match.score_pair({"company_core": "华信", "city": "上海"}, {"company_core": "华信", "city": ""}),
            (0.85, ["name_city"]),
        )
        self.assertEqual(
            match.score_pair({"company_core": "华信", "city": "北京"}, {"company_core": "华信", "city": "上海"}),
            (0.6, ["name"]),
        )
        self.assertEqual(
            match.score_pair({"company_core": "华信", "city": "上海"}, {"company_core": "华信科技", "city": "上海"}),
            (0.0, []),
        )

    def test_person_and_phone(self):
        a = {"person_key": "张伟", "phone_keys": {MOBILE}}
        self.assertEqual(match.score_pair(a, dict(a)), (0.95, ["phone", "person"]))
        self.assertEqual(match.score_pair({"person_key": "张伟"}, {"person_key": "张伟"}), (0.3, ["person"]))
        self.assertEqual(match.score_pair({"person_key": "张*"}, {"person_key": "张*"}), (0.0, []))

    def test_combined_is_capped(self):
        a = {
            "uscc": self.USCC,
            "phone_keys": {MOBILE},
            "email_keys": {"a@b.com"},
            "company_core": "华信",
            "city": "上海",
            "is_company": True,
        }
        self.assertEqual(match.score_pair(a, dict(a)), (1.0, ["uscc", "phone", "email", "name_city"]))

    def test_penalties(self):
        other_uscc = _with_check_digit("91310000MA1FL4MR7")
        self.assertEqual(
            match.score_pair(
                {"uscc": self.USCC, "company_core": "华信", "city": "上海"},
                {"uscc": other_uscc, "company_core": "华信", "city": "上海"},
            ),
            (0.5, ["name_city", "uscc_conflict"]),
        )
        self.assertEqual(
            match.score_pair(
                {"phone_keys": {MOBILE}, "is_company": True}, {"phone_keys": {MOBILE}, "is_company": False}
            ),
            (0.45, ["phone", "type_mismatch"]),
        )

    def test_nothing_in_common(self):
        self.assertEqual(match.score_pair({}, {}), (0.0, []))
        self.assertEqual(
            match.score_pair({"phone_keys": set(), "uscc": "", "company_core": ""}, {"phone_keys": None}), (0.0, [])
        )

    def test_pipeline(self):
        """Keys built with the other helpers match across differently written records."""

        def keys(name, phones, mail, city):
            return {
                "phone_keys": set(phone.phone_keys(phones)),
                "email_keys": set(emails.normalize_emails(mail)),
                "company_core": company_name.canonical_company_name(name).core,
                "city": city,
                "is_company": True,
            }

        a = keys("上海华信电子科技有限公司", "021-62881234转808", "Info@HuaXin.cn", "上海")
        b = keys("华信电子科技（上海）有限公司", "+86 21 6288 1234", "info@huaxin.cn", "上海市")
        self.assertEqual(match.score_pair(a, b), (1.0, ["phone", "email", "name_city"]))


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestComponents(BaseCase):
    def test_transitive(self):
        """Row 0 and row 2 share nothing, but each shares a key with row 1: one customer."""
        rows = [[("phone", "+8613800000001")],
                [("phone", "+8613800000001"), ("email", "a@example.cn")],
                [("email", "a@example.cn")],
                [("email", "b@example.cn")],
                []]
        self.assertEqual(components.key_components(rows), [[0, 1, 2], [3], [4]])

    def test_order_does_not_matter(self):
        """The row linking the two others comes last: it still joins them (a first-match merge would not)."""
        rows = [[("phone", "p1")], [("email", "e1")], [("phone", "p1"), ("email", "e1")]]
        self.assertEqual(components.key_components(rows), [[0, 1, 2]])
        chain = [[("k", i), ("k", i + 1)] for i in range(50)][::-1]
        self.assertEqual(components.key_components(chain), [list(range(50))])

    def test_pair_components(self):
        groups = components.pair_components([(1, 2), (3, 4), (2, 3), (7, 8)])
        self.assertEqual(sorted(sorted(members) for members in groups.values()), [[1, 2, 3, 4], [7, 8]])
        self.assertEqual(set(groups), {1, 7}, "the smallest member is the root")
        self.assertEqual(components.pair_components([]), {})
