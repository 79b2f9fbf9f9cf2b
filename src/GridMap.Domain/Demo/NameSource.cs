using GridMap.Domain.Model;

namespace GridMap.Domain.Demo;

/// <summary>
/// Real names (NBS 2023 street and community codes) and the word lists the generator draws plausible names from.
/// </summary>
internal sealed class NameSource
{
    public IReadOnlyList<Street> Streets { get; }
    public IReadOnlyList<Community> Communities { get; }

    private NameSource(IReadOnlyList<Street> streets, IReadOnlyList<Community> communities)
    {
        Streets = streets;
        Communities = communities;
    }

    /// <summary>Streets and communities of the given districts, ordered by code (areas are filled in later).</summary>
    public static NameSource Load(IReadOnlySet<string> districtCodes)
    {
        var streets = DemoData.ReadCsv(DemoData.Streets)
            .Where(r => districtCodes.Contains(r["areaCode"]))
            .Select(r => new Street(r["code"], r["name"], r["areaCode"], null))
            .OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        var streetCodes = streets.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var communities = DemoData.ReadCsv(DemoData.Communities)
            .Where(r => streetCodes.Contains(r["streetCode"]))
            .Select(r => new Community(r["code"], r["name"], r["streetCode"]))
            .OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        return new NameSource(streets, communities);
    }

    /// <summary>True for an urban 街道 (street office), false for a 镇/乡 (town, township).</summary>
    public static bool IsUrbanStreet(Street s) => s.Name.EndsWith("街道", StringComparison.Ordinal);

    /// <summary>True for a residents' committee (社区/居委会), false for a village committee (村委会).</summary>
    public static bool IsResidential(Community c) => !c.Name.Contains("村民委员会", StringComparison.Ordinal) && !c.Name.EndsWith("村委会", StringComparison.Ordinal);

    private static readonly string[] CommunitySuffixes =
    [
        "居民委员会", "管理委员会", "村民委员会", "社区委员会", "委员会", "居委会", "村委会", "居民", "社区",
    ];

    /// <summary>The community's short name, e.g. 碧沙岗社区居委会 → 碧沙岗, 逸园社区居民管理委员会 → 逸园.</summary>
    public static string ShortName(Community c)
    {
        var name = c.Name;
        // Strip committee suffixes repeatedly: the NBS names stack them (社区 + 居民 + 管理委员会).
        for (var stripped = true; stripped;)
        {
            stripped = false;
            foreach (var suffix in CommunitySuffixes)
                if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length + 1)
                {
                    name = name[..^suffix.Length];
                    stripped = true;
                    break;
                }
        }
        return name;
    }

    /// <summary>Street office name without the 街道 suffix (for addresses).</summary>
    public static string ShortName(Street s) =>
        s.Name.EndsWith("街道", StringComparison.Ordinal) && s.Name.Length > 2 ? s.Name[..^2] : s.Name;

    /// <summary>Old work units whose staff housing (家属院) makes up much of Zhengzhou's old stock.</summary>
    public static readonly string[] WorkUnits =
    [
        "国棉一厂", "国棉三厂", "国棉四厂", "国棉五厂", "国棉六厂", "郑州铁路局", "郑州机务段", "郑州车辆段", "郑州煤矿机械厂",
        "第二砂轮厂", "郑州电缆厂", "郑州肉联厂", "郑州柴油机厂", "郑州纺织机械厂", "郑州油脂化学厂", "河南省建一公司",
        "河南省建二公司", "市自来水公司", "市供电局", "省电力局", "河南日报社", "郑州粮食学院", "河南农业大学", "郑州工学院",
        "省医药公司", "市二建", "市政公司", "郑州铝厂", "郑州热电厂", "市百货公司", "省水利厅", "省地质局", "市公交公司",
        "郑州第一人民医院", "省人民医院", "郑州电力学校", "市粮食局", "郑州磨料磨具所", "省农科院", "郑州卷烟厂",
    ];

    public static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
        "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
        "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
        "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史",
        "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文",
    ];

    /// <summary>Relative frequency of the surnames above (the top ten cover about 40% of people in Henan).</summary>
    public static double SurnameWeight(int index) => index < 10 ? 8.0 - index * 0.5 : 1.0;

    public static readonly string[] GivenChars =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
        "刚", "桂", "英", "华", "建", "国", "红", "玲", "志", "鹏", "辉", "斌", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅",
        "旭", "宁", "龙", "林", "欣", "晶", "婷", "雪", "慧", "倩", "琳", "颖", "文", "海", "亮", "飞", "新", "成", "东", "春",
        "晓", "阳", "梅", "萍", "丹", "燕", "彬", "振", "利", "峰", "松", "瑞", "嘉", "豪", "雨", "珂", "博", "航", "然", "鑫",
    ];

    /// <summary>Dispute notes as a grid worker would write them.</summary>
    public static readonly string[] DisputeNotes =
    [
        "一楼住户担心入户施工破坏装修，拒绝改造",
        "顶层住户要求先解决屋面漏水问题再签字",
        "部分住户长期出租，联系不上房主，同意率卡在60%",
        "业主对改造后是否加收热费有疑虑，要求书面承诺",
        "物业与业委会对楼道管井施工费用分摊有分歧",
        "个别住户私自改动过暖气管道，拒绝恢复原状",
        "老人独居，子女在外地，需要等子女回来商量",
        "住户反映去年试点楼栋改造后供暖效果不理想，持观望态度",
        "单位产权房，原产权单位已改制，签字主体不明确",
        "低层住户认为串联系统供暖已够用，不愿承担入户改造不便",
        "有住户要求同时更换入户门和地面，超出改造范围",
        "施工时间与住户装修计划冲突，要求推迟到明年",
        "楼内有两户长期欠缴热费，双方就欠费处理意见不一",
        "家属院无物业，楼长协调困难，需社区出面组织",
    ];
}
