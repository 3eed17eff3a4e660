"""The enumerations of the interchange format (DESIGN §3), shared by the models and the workbook schema.

Each is a tuple of the exact Chinese values; models store these strings.
"""

DEPARTMENT_KIND = ("科室", "下属单位")
GENDER = ("男", "女")
STAFF_CATEGORY = ("公务员", "工勤", "参公事业", "事业", "编外")
PERSON_STATUS = ("在职", "退休", "调出")
POLITICAL_STATUS = ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派", "其他")
PARTY_MEMBER_STATUSES = ("中共党员", "中共预备党员")
BRANCH_KIND = ("在职", "退休")
STUDY_KIND = ("党组理论学习中心组", "党支部集中学习", "干部职工集中学习", "专题读书班", "其他")
MEETING_KIND = (
    "党组会", "干部职工会", "党支部会", "系统工作会", "党风廉政建设工作会议",
    "述责述廉会议", "民主生活会", "组织生活会", "其他",
)
DOCUMENT_CATEGORY = ("学习计划", "工作要点", "责任分工", "内控制度", "其他")
TASK_STATUS = ("未开始", "推进中", "已完成")
LIAISON_FORM = ("沟通会商", "情况通报", "交换意见", "纪律作风检查", "问题反馈")
OPINION_MATTER = ("干部选拔任用", "人员选调", "评先评优", "其他")
OPINION_CONCLUSION = ("同意", "暂缓", "不同意")
EXPENSE_PERIOD = ("上半年", "下半年", "全年")
EXPENSE_CATEGORY = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
EDUCATION_FORM = (
    "案例通报", "警示教育大会", "观看警示教育片", "发放警示教育读本", "新进人员培训",
    "节假日廉洁提醒", "参观警示教育基地", "廉政党课", "其他",
)
WARNING_EDUCATION_FORMS = ("案例通报", "警示教育大会", "观看警示教育片", "参观警示教育基地")
TALK_KIND = ("廉洁纪律谈话", "任前廉政谈话", "谈心谈话", "提醒谈话", "谈话提醒", "诫勉谈话", "约谈", "谈话函询")
INTEGRITY_TALK_KINDS = ("廉洁纪律谈话", "任前廉政谈话")
SENSITIVE_TALK_KINDS = ("提醒谈话", "谈话提醒", "诫勉谈话", "谈话函询")
DISCIPLINE_FORM = ("第一种形态", "第二种形态", "第三种形态", "第四种形态")
CLUE_SOURCE = ("信访举报", "巡视巡察", "审计", "监督检查", "自查", "其他")
PROMOTION_MATTER = ("提拔", "进一步使用", "选调", "评先评优")
RISK_LEVEL = ("高", "中", "低")
PETITION_RESULT = ("在办", "属实", "部分属实", "不属实", "了结")
PROBLEM_ASPECT = ("政治建设", "主体责任", "纪律作风", "权力制约", "问题整改", "其他")
PROBLEM_SOURCE = ("自查", "巡视巡察", "审计", "纪检监察组反馈", "指标预警", "其他")


def as_choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]
