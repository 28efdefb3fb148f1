# Verification table (what the sources below could and could not confirm)
#
# | fact                                             | status                                              |
# |--------------------------------------------------|-----------------------------------------------------|
# | province / prefecture / county codes and names   | verified, 3 sources (S1, S3, S4)                    |
# | township names and 9-digit NBS codes (2023)      | codes: S1 (2023), consistent with S2; names also    |
# |                                                  | match S3 (MCA list, which uses its own 9-digit      |
# |                                                  | numbering, so S3 confirms names only, not codes)    |
# | 嘎洒镇 -> 嘎洒街道; new 嘎栋街道 and 曼弄枫街道   | verified: S1 old vs new, S2 diff, S3, P1 (挂牌 date)  |
# | 磨憨镇 under 勐腊县                               | verified in S1 (2023) and S3; the 昆明 托管 is NOT   |
# |                                                  | reflected in any code source (see TOWNSHIPS note)   |
# | 政企合一 units (农场, 监狱), 4xx codes            | verified S1 + S2; kept apart in ENTERPRISE_UNITS    |
# | village/community codes (2023)                   | one code source only (S2, NBS 2022->2023 diff);     |
# |                                                  | some names corroborated by P1 (曼点, 曼戈播, 南联山) |
# | villages of 勐腊镇                                | NOT found with codes in any source: left out        |
# | agency names                                     | NOT verified, except that the seed document (D1)    |
# |                                                  | attests the short forms 州市场监督管理局, 州政务服务局 |
# |                                                  | and 州政务服务中心; the rest follow the standard     |
# |                                                  | post-2019 naming and are flagged in the comments    |
# | venue names                                      | 州政务服务中心 attested by D1; all others are formed |
# |                                                  | by the task-7 naming rule ("conventional")          |
# | venue addresses                                  | no source gave one: all empty                       |
# | unified social credit codes                      | deliberately not recorded                           |
"""Reference data for the 西双版纳傣族自治州 demo: regions, agencies and venues.

Pure data, no logic. Every code here is a real National Bureau of Statistics (NBS) 统计用区划代码;
nothing is invented. Reference year of the codes: **2023** (《2023年统计用区划代码和城乡划分代码》,
cut-off 2023-06-30, published 2023-09-11).

Sources
-------
S1  github.com/modood/Administrative-divisions-of-China, ``dist/streets.csv``
    - commit dc3a1d7acd85ca1b0979543e9259604142c52e8e: the 2023 NBS township list (README at
      commit 5739d765270e040568de2cfa8381cbbc93a3eb4c: "本项目已更新至 2023年统计用区划代码").
    - commit 0b7fd75e6bd8fef6c63d7f02cfaf0a39b33fc199: an older (pre-2022) list, still showing
      嘎洒镇 532801102 and the 农场 units 532801401..407; used only to document the changes.
S2  github.com/njzjz/prcadmin, ``patches/2023.patch`` (commit
    153155f30f2c1e9055f3edc2aa4f5cffdc6b6dd7): word diff of the full NBS 12-digit tables,
    2022 -> 2023. Every village code below is a 2023-side line of this diff.
S3  github.com/Chen-Yuanmeng/China-Administrative-Divisions, ``dist/streets.csv`` (commit
    766d4f807d14d964a20bb0e56e08ed4e638e6e16): townships from the Ministry of Civil Affairs
    地名信息库 (dmfw.mca.gov.cn). Its 9-digit codes follow the MCA numbering, which differs from NBS
    (e.g. 勐海镇 is 532822100 there, 532822101 in NBS), so it is used to cross-check names only.
S4  github.com/mengweijin/china-administrative-divisions,
    ``data/area/云南省滇云_西双版纳傣族自治州.json`` (commit d6e35832ec5469f3487b671e19f9fa2b4ca213c6):
    county codes 532801 / 532822 / 532823.
P1  http://www.cooxue.com/zhishi/141900.html: 嘎洒街道 (景洪市嘎洒街道 挂牌 2021-11-30; before
    that 嘎洒镇) and its 13 村民委员会 as of 2020-08 (曼占宰, 曼达, …, 南联山, 曼点, 纳板, 曼戈播, …).
D1  /work/shared/seed/000_eb5d6bceafce3707.txt: 西政发〔2022〕27号 (西双版纳州人民政府, 2022-08-16).
    It names 州政务服务局 and 州政务服务中心 as two different lead units, 州市场监督管理局, and the
    venue naming rule of task 7 (县级以上 政务服务中心, 乡镇(街道) 为民服务中心, 村(社区) 为民服务站).

Shapes
------
``COUNTIES``          [(code6, name)]
``TOWNSHIPS``         {county_code6: [(code12, name)]}: 街道 (0xx), 镇 (1xx), 乡 (2xx) only.
``ENTERPRISE_UNITS``  {county_code6: [(code12, name)]}: NBS 政企合一 units (4xx: 农场, 监狱). They
                      have township-level statistical codes but no township government; keep them
                      out of venue generation.
``VILLAGES``          {township_code12: [(code12, short_name, official_full_name)]}. The short name
                      drops the 居民委员会 / 居委会 / 民委员会 tail and keeps 社区 or 村
                      (曼弄枫社区居民委员会 -> 曼弄枫社区, 曼点村民委员会 -> 曼点村).
``AGENCIES``          {region_code6: [(name, kind)]}, kind "service_administration" | "department".
``VENUES``            {region_code: [(name, venue_kind, address, basis)]}; region_code is 6 digits
                      for prefecture/county, 12 for township/village; venue_kind matches
                      ``VenueKind`` values; basis is "attested" (a source names it) or "conventional"
                      (formed by the task-7 rule).
"""

PROVINCE = ("530000", "云南省")
PREFECTURE = ("532800", "西双版纳傣族自治州")

COUNTIES = [
    ("532801", "景洪市"),
    ("532822", "勐海县"),
    ("532823", "勐腊县"),
]

# NBS 2023 (S1 @ dc3a1d7). Names cross-checked against S3 (MCA): all match. S3 additionally lists a
# 东风镇 under 景洪市 that has no NBS 2023 code (NBS still has 东风农场 532801402), so it is left out.
TOWNSHIPS = {
    "532801": [  # 景洪市: 5 街道, 4 镇, 5 乡
        ("532801001000", "允景洪街道"),
        ("532801002000", "江北街道"),
        # 嘎洒镇 (532801102 in pre-2022 data, S1 @ 0b7fd75e) became 嘎洒街道 (挂牌 2021-11-30, P1);
        # its NBS code since the 2022 table is 532801003. There is no 嘎洒镇 any more.
        ("532801003000", "嘎洒街道"),
        # 嘎栋街道 and 曼弄枫街道 are new in the 2023 table (S2), replacing the former units
        # 景洪工业园区 (532801407) and 西双版纳州旅游度假区 (532801406).
        ("532801004000", "嘎栋街道"),
        ("532801005000", "曼弄枫街道"),
        ("532801103000", "勐龙镇"),
        ("532801104000", "勐罕镇"),
        ("532801105000", "勐养镇"),
        ("532801106000", "普文镇"),
        ("532801202000", "景哈哈尼族乡"),
        ("532801203000", "景讷乡"),
        ("532801204000", "大渡岗乡"),
        ("532801205000", "勐旺乡"),
        ("532801206000", "基诺山基诺族乡"),
    ],
    "532822": [  # 勐海县: 6 镇, 5 乡
        ("532822101000", "勐海镇"),
        ("532822102000", "打洛镇"),
        ("532822103000", "勐混镇"),
        ("532822104000", "勐遮镇"),
        ("532822105000", "勐满镇"),
        ("532822106000", "勐阿镇"),
        ("532822201000", "勐宋乡"),
        ("532822202000", "勐往乡"),
        ("532822203000", "格朗和哈尼族乡"),
        ("532822204000", "布朗山布朗族乡"),
        ("532822205000", "西定哈尼族布朗族乡"),
    ],
    "532823": [  # 勐腊县: 8 镇, 2 乡
        ("532823101000", "勐腊镇"),
        ("532823102000", "勐捧镇"),
        ("532823103000", "勐满镇"),  # a different town from 勐海县勐满镇 532822105
        ("532823104000", "勐仑镇"),
        # 磨憨镇: both S1 (NBS 2023) and S3 (MCA, current) still list it under 勐腊县. The 2022
        # arrangement under which 昆明市 manages (托管) 磨憨镇 is not reflected in any code source
        # consulted, and we did not verify it here; administratively it stays in 勐腊县.
        ("532823105000", "磨憨镇"),
        ("532823106000", "勐伴镇"),
        ("532823107000", "关累镇"),
        ("532823108000", "易武镇"),
        ("532823202000", "象明彝族乡"),
        ("532823203000", "瑶区瑶族乡"),
    ],
}

# NBS 政企合一 units with township-level codes (S1 2023; S2 shows 景洪农场 532801401, 勐养农场
# 532801404, 大渡岗农场 532801405 and 黎明农场 532822401 dropped from the 2023 table).
ENTERPRISE_UNITS = {
    "532801": [
        ("532801402000", "东风农场"),
        ("532801403000", "橄榄坝农场"),
        ("532801408000", "西双版纳监狱"),
    ],
    "532822": [],
    "532823": [
        ("532823401000", "勐腊农场"),
        ("532823402000", "勐捧农场"),
        ("532823403000", "勐满农场"),
        ("532823404000", "勐醒农场"),
    ],
}

# 2023 codes, all from the 2023 side of S2. No coded village list for 勐腊镇 was found, so
# 勐腊县 is represented by the only two communities S2 gives (勐仑镇, 关累镇).
VILLAGES = {
    "532801003000": [  # 嘎洒街道 (communities added in 2023)
        ("532801003008", "龙源社区", "龙源社区居委会"),
        ("532801003009", "光华社区", "光华社区居委会"),
    ],
    "532801004000": [  # 嘎栋街道; 曼点, 纳版, 曼戈播 were 532801003210..212 in 嘎洒街道 until 2022
        ("532801004001", "万景社区", "万景社区居民委员会"),
        ("532801004200", "曼点村", "曼点村民委员会"),
        ("532801004202", "曼戈播村", "曼戈播村民委员会"),
    ],
    "532801005000": [  # 曼弄枫街道; 曼弄枫社区 was 532801406001 (旅游度假区) until 2022
        ("532801005001", "曼弄枫社区", "曼弄枫社区居民委员会"),
        ("532801005002", "景帕杭社区", "景帕杭社区居民委员会"),
        ("532801005200", "南联山村", "南联山村民委员会"),  # was 532801003206 (嘎洒街道)
    ],
    "532822101000": [  # 勐海镇
        ("532822101011", "景养社区", "景养社区居民委员会"),
        ("532822101014", "佛海社区", "佛海社区居民委员会"),
        ("532822101015", "茶城社区", "茶城社区居民委员会"),
    ],
    "532822104000": [  # 勐遮镇
        ("532822104001", "黎明社区", "黎明社区居民委员会"),
        ("532822104003", "凤凰社区", "凤凰社区居民委员会"),
    ],
    "532823104000": [  # 勐仑镇
        ("532823104001", "勐仑社区", "勐仑社区居民委员会"),
    ],
    "532823107000": [  # 关累镇
        ("532823107001", "关累港口社区", "关累港口社区居民委员会"),
    ],
}

# Agency names. None of these full names could be checked against a source in this pass, except
# as noted; they follow the standard post-2019 (机构改革) naming, with the common 西双版纳州 short
# form of the prefecture (the statutory prefix is 西双版纳傣族自治州). Verify before any
# production use.
#  - D1 attests 州市场监督管理局 and 州政务服务局 (short forms). It also names 州政务服务中心 as
#    a separate lead unit (likely a public institution running the hall, recorded under VENUES).
#    "西双版纳州政务服务管理局" is the assumed full form of 州政务服务局: unverified.
#  - County level: 卫生健康 bodies are written 卫生健康局 (Yunnan county-level naming), not
#    卫生健康委员会: unverified. County 政务服务管理局 names: unverified.
#  - 自然资源局 (rather than 自然资源和规划局): unverified at every level.
AGENCIES = {
    "532800": [
        ("西双版纳州政务服务管理局", "service_administration"),
        ("西双版纳州市场监督管理局", "department"),
        ("西双版纳州公安局", "department"),
        ("西双版纳州卫生健康委员会", "department"),
        ("西双版纳州人力资源和社会保障局", "department"),
        ("西双版纳州医疗保障局", "department"),
        ("西双版纳州自然资源局", "department"),
        ("西双版纳州民政局", "department"),
    ],
    "532801": [
        ("景洪市政务服务管理局", "service_administration"),
        ("景洪市市场监督管理局", "department"),
        ("景洪市公安局", "department"),
        ("景洪市卫生健康局", "department"),
        ("景洪市人力资源和社会保障局", "department"),
        ("景洪市医疗保障局", "department"),
        ("景洪市自然资源局", "department"),
        ("景洪市民政局", "department"),
    ],
    "532822": [
        ("勐海县政务服务管理局", "service_administration"),
        ("勐海县市场监督管理局", "department"),
        ("勐海县公安局", "department"),
        ("勐海县卫生健康局", "department"),
        ("勐海县人力资源和社会保障局", "department"),
        ("勐海县医疗保障局", "department"),
        ("勐海县自然资源局", "department"),
        ("勐海县民政局", "department"),
    ],
    "532823": [
        ("勐腊县政务服务管理局", "service_administration"),
        ("勐腊县市场监督管理局", "department"),
        ("勐腊县公安局", "department"),
        ("勐腊县卫生健康局", "department"),
        ("勐腊县人力资源和社会保障局", "department"),
        ("勐腊县医疗保障局", "department"),
        ("勐腊县自然资源局", "department"),
        ("勐腊县民政局", "department"),
    ],
}

# Names D1 attests verbatim in short form (州… = 西双版纳州…); everything else in AGENCIES is
# pattern-formed.
AGENCY_NAMES_ATTESTED = {
    "西双版纳州市场监督管理局",  # D1: 州市场监督管理局
}

# No source consulted gives a street address for any of these halls: addresses are empty.
VENUES = {
    "532800": [("西双版纳州政务服务中心", "center", "", "attested")],  # D1: 州政务服务中心
    "532801": [("景洪市政务服务中心", "center", "", "conventional")],
    "532822": [("勐海县政务服务中心", "center", "", "conventional")],
    "532823": [("勐腊县政务服务中心", "center", "", "conventional")],
    "532801003000": [("嘎洒街道为民服务中心", "township_center", "", "conventional")],
    "532801005000": [("曼弄枫街道为民服务中心", "township_center", "", "conventional")],
    "532822101000": [("勐海镇为民服务中心", "township_center", "", "conventional")],
    "532823101000": [("勐腊镇为民服务中心", "township_center", "", "conventional")],
    "532823104000": [("勐仑镇为民服务中心", "township_center", "", "conventional")],
    "532801005001": [("曼弄枫社区为民服务站", "village_station", "", "conventional")],
    "532801005200": [("南联山村为民服务站", "village_station", "", "conventional")],
    "532822101014": [("佛海社区为民服务站", "village_station", "", "conventional")],
    "532823104001": [("勐仑社区为民服务站", "village_station", "", "conventional")],
}
