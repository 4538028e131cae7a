"""crm_plus_service knowledge base: precision@5 of similar solved tickets, and their latency at scale."""

import random
import statistics
import time

from .common import measure, table

SIZES = [10000, 100000]
GROUPS = 100  # near-duplicate groups: each has DUPLICATES solved tickets and one new ticket asking again
DUPLICATES = 5
BATCH = 5000

DEVICES = ["打印机", "扫描仪", "路由器", "笔记本电脑", "投影仪", "显示器", "移动硬盘", "服务器", "交换机", "考勤机",
           "收银机", "门禁系统", "摄像头", "电话机", "复印机", "平板电脑", "无线网卡", "条码枪", "标签机", "会议系统",
           "打卡机", "碎纸机", "UPS电源", "NAS存储", "台式机", "键盘", "鼠标", "耳机", "音箱", "对讲机"]
SYMPTOMS = ["卡纸", "无法开机", "蓝屏", "连接不上网络", "打印模糊", "发出异响", "屏幕闪烁", "温度过高", "经常死机",
            "登录失败", "驱动安装失败", "速度很慢", "无法识别U盘", "指示灯一直闪烁", "自动重启", "没有声音",
            "充不进电", "无法联网升级", "显示乱码", "按键失灵", "图像偏色", "无法保存设置", "提示内存不足",
            "授权过期", "证书错误", "同步失败", "数据丢失", "无法打印双面", "进纸器报错", "扫描出来是空白"]
DETAILS = ["昨天开始", "更换墨盒之后", "升级固件以后", "搬到新办公室后", "断电重启以后", "每天上午", "多人同时使用时",
           "连接投屏时", "周末之后", "安装新软件以后", "换了网线以后", "下雨天", "开机半小时后", "打印大文件时"]
FILLERS = ["麻烦尽快处理", "影响正常办公", "客户在等", "急", "已经试过重启", "请派工程师上门", "谢谢",
           "上次也出现过", "同事那台正常", "型号见附件"]


def _text(rng, device, symptom, specifics):
    parts = [device + symptom, rng.choice(DETAILS), *specifics, rng.choice(FILLERS)]
    head, tail = parts[:1], parts[1:]
    rng.shuffle(tail)
    return "，".join(head + tail) + "。"


def _seed(env, size, seed_value):
    """``size`` solved tickets inserted with SQL (words segmented in Python, as the ORM path does), among them
    GROUPS groups of DUPLICATES near-duplicates: the same device and symptom, and 2 of their group's 3
    specific details (a model, an error code, a place). Returns the groups' specifics."""
    from odoo.tools import SQL

    from odoo.addons.crm_plus_service.tools.kb_text import document

    rng = random.Random(seed_value)
    cr = env.cr
    company = env.company.id
    stage = env.ref("crm_plus_service.ticket_stage_solved").id
    customers = env["res.partner"].create([{"name": "KB bench customer %d" % i, "is_company": True}
                                           for i in range(200)]).ids
    groups = []
    for g in range(GROUPS):
        device, symptom = rng.choice(DEVICES), rng.choice(SYMPTOMS)
        place = rng.choice(["财务部", "前台", "仓库", "三楼会议室", "研发部", "销售部"])
        specifics = ["型号KB%03dX" % g, "错误代码E%04d" % (1000 + g), place + "那台"]
        groups.append((device, symptom, specifics))
    rows = []
    for g, (device, symptom, specifics) in enumerate(groups):
        for _i in range(DUPLICATES):
            rows.append((g, _text(rng, device, symptom, rng.sample(specifics, 2))))
    for _i in range(size - len(rows)):
        rows.append((None, _text(rng, rng.choice(DEVICES), rng.choice(SYMPTOMS), [])))
    rng.shuffle(rows)
    members = {g: [] for g in range(GROUPS)}
    cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM crm_plus_ticket"))
    next_id = cr.fetchone()[0] + 1
    for start in range(0, len(rows), BATCH):
        values = []
        for offset, (group, text) in enumerate(rows[start:start + BATCH]):
            tid = next_id + start + offset
            if group is not None:
                members[group].append(tid)
            customer = rng.choice(customers)
            values.append(SQL(
                "(%s, %s, %s, %s, 'email', '1', %s, TRUE, FALSE, FALSE, %s, %s, now(), now(), now(), 1, 1, "
                "to_tsvector('simple', %s), %s)",
                tid, "KB%07d" % tid, text[:60], "<p>%s</p>" % text, stage, customer, customer,
                document(text[:60], text[:60], text), company))
        cr.execute(SQL(
            """INSERT INTO crm_plus_ticket (id, number, name, description, channel, priority, stage_id, is_solved,
                   is_closed, is_waiting, customer_id, partner_id, date_solved, create_date, write_date,
                   create_uid, write_uid, crm_plus_kb_tsv, company_id) VALUES %s""", SQL(", ").join(values)))
    cr.execute(SQL("SELECT setval('crm_plus_ticket_id_seq', (SELECT MAX(id) FROM crm_plus_ticket))"))
    cr.execute(SQL("ANALYZE crm_plus_ticket"))
    env.invalidate_all()
    return groups, members, rng


def run(odoo, registry, size, seed_value):
    out = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        with measure(odoo, out, "seed_"):
            groups, members, rng = _seed(env, size, seed_value)
        cr.commit()
        Ticket = env["crm_plus.ticket"].with_context(mail_create_nolog=True)
        asks = Ticket.create([{"name": device + symptom, "description": _text(rng, device, symptom,
                                                                             rng.sample(specifics, 2))}
                              for device, symptom, specifics in groups])
        cr.commit()
        hits, latencies = 0, []
        asks[0]._crm_plus_kb_similar()  # warm caches
        for g, ask in enumerate(asks):
            t0 = time.perf_counter()
            found = ask._crm_plus_kb_similar(limit=5)
            latencies.append((time.perf_counter() - t0) * 1000)
            hits += len(set(found.ids) & set(members[g]))
        latencies.sort()
        out.update(
            precision_at_5=round(hits / (5.0 * GROUPS), 3),
            latency_ms_median=round(statistics.median(latencies), 1),
            latency_ms_p95=round(latencies[int(len(latencies) * 0.95) - 1], 1),
        )
        # the baseline without the index: Odoo's own ilike on the subject, as an agent's search would do
        t0 = time.perf_counter()
        for device, symptom, _specifics in groups[:20]:
            Ticket.search([("is_solved", "=", True), ("name", "ilike", device + symptom)], limit=5)
        out["ilike_ms_median"] = round((time.perf_counter() - t0) * 1000 / 20, 1)
        cr.rollback()
    return out


def markdown(data):
    rows = [(r["size"], r["precision_at_5"], r["latency_ms_median"], r["latency_ms_p95"], r["ilike_ms_median"],
             r["seed_seconds"]) for r in data["rows"]]
    return "\n".join([
        "## Knowledge base: similar solved tickets (jieba words, `simple` tsvector, GIN, keywords, ts_rank)",
        "",
        "Seeded solved tickets in Chinese (30 devices × 30 symptoms × circumstances and fillers), inserted with SQL",
        "and segmented by jieba as the ORM path does. Among them %d groups of %d near-duplicates: the same device"
        % (GROUPS, DUPLICATES),
        "and symptom and 2 of the group's 3 specific details (model, error code, place); the noise has the same",
        "device and symptom about once in 900 tickets (some 11 per group at 10,000, 110 at 100,000). For each",
        "group a new ticket asks again (another 2 of the 3 details, other wording order); precision@5 is the",
        "share of its 5 suggestions that are its group's. `_crm_plus_kb_similar()` (one query) takes the",
        "ticket's 8 TF-IDF keywords, keeps the solved tickets sharing one of the 4 best (GIN), ranks them by",
        "keywords shared, then `ts_rank`. Ranking by `ts_rank` over every word alone gave 0.42 and 0.38, at",
        "400 ms at 100,000. Latency per ticket, median and 95th percentile, measured while other test runs",
        "loaded the machine; against it, Odoo's plain `ilike` on the subject (which finds no near-duplicate",
        "worded differently).",
        "",
        table(["solved tickets", "precision@5", "median ms", "p95 ms", "ilike median ms", "seed s"], rows),
        "",
    ])
