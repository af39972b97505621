//! What is audited: every action a step records ([`AuditAction`], with its Chinese label), the kind of
//! record it is about ([`AuditTarget`]) and the cached generations it makes stale.

use crate::enums::string_enum;

string_enum! {
    /// Every action the audit trail records, by its stable dotted id (stored in [`AuditEntry::action`]
    /// and hashed into the chain, so an id never changes), with the label the audit page shows.
    AuditAction {
        AuthPasswordOk = "auth.password_ok" => "密码验证通过",
        AuthLoginFailed = "auth.login_failed" => "登录失败",
        AuthLoginRefusedLocked = "auth.login_refused_locked" => "账号锁定期间尝试登录",
        AuthLoginRefusedDisabled = "auth.login_refused_disabled" => "停用账号尝试登录",
        AuthAccountLocked = "auth.account_locked" => "账号被锁定",
        AuthFailureCeiling = "auth.failure_ceiling" => "账号登录失败次数超过告警阈值",
        AuthSecondFactorOk = "auth.second_factor_ok" => "双因素认证通过",
        AuthSecondFactorFailed = "auth.second_factor_failed" => "双因素验证码错误",
        AuthSessionStarted = "auth.session_started" => "开始会话",
        AuthLogout = "auth.logout" => "退出登录",
        AuthTokenIssued = "auth.token_issued" => "签发接口令牌",
        AuthTokenRevoked = "auth.token_revoked" => "吊销接口令牌",
        AuthzDenied = "authz.denied" => "越权访问被拒绝",
        UserCreated = "user.created" => "新增用户",
        UserUpdated = "user.updated" => "修改用户",
        UserPasswordChanged = "user.password_changed" => "修改密码",
        UserPasswordReset = "user.password_reset" => "重置密码",
        UserUnlocked = "user.unlocked" => "解除锁定",
        UserTotpEnrolled = "user.totp_enrolled" => "绑定双因素认证",
        UserTotpReset = "user.totp_reset" => "重置双因素认证",
        UserIdNumberRevealed = "user.id_number_revealed" => "查看完整身份证号码",
        OrgCreated = "org.created" => "新增机构",
        OrgUpdated = "org.updated" => "修改机构",
        PolicyVersionAdded = "policy.version_added" => "发布政策参数新版本",
        CalendarYearSet = "calendar.year_set" => "录入节假日安排",
        WorkflowReminderCreated = "workflow.reminder_created" => "生成待办提醒",
        ExpertCreated = "expert.created" => "新增专家",
        ExpertUpdated = "expert.updated" => "修改专家",
        ExpertImported = "expert.imported" => "批量导入专家",
        ExpertConflictDeclared = "expert.conflict_declared" => "登记专家回避",
        ExpertPastEmploymentAdded = "expert.past_employment_added" => "登记专家曾任职单位",
        DrawCommitted = "draw.committed" => "固定专家池并承诺种子",
        DrawDrawn = "draw.drawn" => "执行专家抽取",
        DrawDeclined = "draw.declined" => "登记专家拒绝并递补",
        DrawRevealed = "draw.revealed" => "开启评审并公开种子",
        DrawNamesViewed = "draw.names_viewed" => "查看密封的抽取名单",
        FilingCreated = "filing.created" => "填写考核站备案申请",
        FilingUpdated = "filing.updated" => "修改考核站备案申请",
        FilingAttachmentAdded = "filing.attachment_added" => "上传备案申请附件材料",
        FilingAttachmentRemoved = "filing.attachment_removed" => "删除备案申请附件材料",
        FilingSubmitted = "filing.submitted" => "提交备案申请",
        FilingReturned = "filing.returned" => "退回备案申请",
        FilingAccepted = "filing.accepted" => "受理备案申请",
        FilingPlanSubmitted = "filing.plan_submitted" => "上报评估方案",
        FilingPlanApproved = "filing.plan_approved" => "通过评估方案",
        FilingPlanReturned = "filing.plan_returned" => "退回评估方案",
        FilingGroupDrawn = "filing.group_drawn" => "抽取专家评议组",
        FilingEvaluationStarted = "filing.evaluation_started" => "开始评估",
        FilingFindingsRecorded = "filing.findings_recorded" => "评议组成员填写评估意见",
        FilingEvaluationCompleted = "filing.evaluation_completed" => "专家评议组形成评估结论",
        FilingDecided = "filing.decided" => "作出备案决定",
        FilingSuspended = "filing.suspended" => "暂停备案",
        FilingReinstated = "filing.reinstated" => "恢复备案",
        FilingRevoked = "filing.revoked" => "撤销备案",
        // The question bank (P2, P6, E2): confidential, so none of these changes a cached generation.
        QuestionItemCreated = "question_item.created" => "新增试题",
        QuestionItemRevised = "question_item.revised" => "修改试题（新版本）",
        QuestionItemSubmitted = "question_item.submitted" => "提交试题省级审核",
        QuestionItemApproved = "question_item.approved" => "审核通过试题入库",
        QuestionItemReturned = "question_item.returned" => "退回试题",
        QuestionItemRetired = "question_item.retired" => "停用试题",
        QuestionItemViewed = "question_item.viewed" => "查看试题内容",
        QuestionItemExported = "question_item.exported" => "导出试题",
        QuestionItemImported = "question_item.imported" => "批量导入试题",
        PaperAssembled = "paper.assembled" => "组卷",
        PaperViewed = "paper.viewed" => "查看试卷",
        PaperPrinted = "paper.printed" => "打印试卷或答案",
        PaperReleaseRequested = "paper.release_requested" => "申请使用试卷",
        PaperReleaseApproved = "paper.release_approved" => "批准使用试卷",
        PaperCustodyRecorded = "paper.custody_recorded" => "登记试卷保管环节",
        PaperBlueprintSaved = "paper.blueprint_saved" => "保存组卷蓝图",
        PaperSeedRevealed = "paper.seed_revealed" => "公开组卷随机种子",
        ProjectCreated = "project.created" => "填写考核项目开发申请",
        ProjectUpdated = "project.updated" => "修改考核项目申请或采用登记",
        ProjectAttachmentAdded = "project.attachment_added" => "上传考核项目申请材料",
        ProjectAttachmentRemoved = "project.attachment_removed" => "删除考核项目申请材料",
        ProjectSubmitted = "project.submitted" => "提交考核项目开发申请",
        ProjectCityReturned = "project.city_returned" => "市州鉴定中心退回考核项目开发申请",
        ProjectForwarded = "project.forwarded" => "市州鉴定中心初审通过并报省",
        ProjectProvinceReturned = "project.province_returned" => "省鉴定中心退回考核项目开发申请",
        ProjectReviewDrawn = "project.review_drawn" => "抽取考核项目论证评审专家组",
        ProjectReviewOpened = "project.review_opened" => "开始考核项目论证评审",
        ProjectOpinionFiled = "project.opinion_filed" => "专家组成员填写论证评审意见",
        ProjectReviewCompleted = "project.review_completed" => "专家组形成论证评审意见",
        ProjectEstablished = "project.established" => "设立考核项目",
        ProjectRejected = "project.rejected" => "不予设立考核项目",
        ProjectPublished = "project.published" => "发布考核项目并开展试点",
        ProjectRolledOut = "project.rolled_out" => "考核项目全省推行",
        ProjectStopped = "project.stopped" => "停止考核项目",
        ProjectAdoptionRecorded = "project.adoption_recorded" => "登记直接采用的考核项目",
        ProjectAdoptionApproved = "project.adoption_approved" => "批准采用考核项目",
        ProjectAdoptionRejected = "project.adoption_rejected" => "不予采用考核项目",
        ProjectMaterialAdded = "project.material_added" => "登记培训教材或考试指南",
        ProjectMaterialRemoved = "project.material_removed" => "删除培训教材或考试指南",
        ProjectMaterialFileAttached = "project.material_file_attached" => "上传培训教材或考试指南文件",
        // Exam sessions (E1, E3): staff pages only, no cached generation.
        ExamSessionCreated = "exam_session.created" => "草拟考核计划",
        ExamSessionUpdated = "exam_session.updated" => "修改考核计划",
        ExamSessionSubmitted = "exam_session.submitted" => "报送考核计划",
        ExamSessionApproved = "exam_session.approved" => "批准考核计划",
        ExamSessionReturned = "exam_session.returned" => "退回考核计划",
        ExamSessionCancelled = "exam_session.cancelled" => "取消考核",
        ExamSessionCandidateAdded = "exam_session.candidate_added" => "添加考生",
        ExamSessionCandidateRemoved = "exam_session.candidate_removed" => "移除考生",
        ExamSessionRosterImported = "exam_session.roster_imported" => "导入考生名册",
        ExamSessionRosterExported = "exam_session.roster_exported" => "导出考生名册（含完整身份证号码）",
        // The registries of assessors, supervisors and trainers (E8–E10).
        RegistryPersonCreated = "registry.person_created" => "登记考评人员",
        RegistryPersonUpdated = "registry.person_updated" => "修改考评人员信息",
        RegistryImported = "registry.imported" => "批量导入考评人员",
        RegistryStatusChanged = "registry.status_changed" => "变更考评人员状态",
        RegistryRelativeDeclared = "registry.relative_declared" => "登记考评人员亲属",
        RegistryPastEmploymentAdded = "registry.past_employment_added" => "登记考评人员曾任职单位",
        RegistryAccountLinked = "registry.account_linked" => "关联考评人员本人账号",
        TrainingCourseCreated = "training.course_created" => "开设考评人员培训班",
        TrainingEnrolled = "training.enrolled" => "培训班报名",
        TrainingResultRecorded = "training.result_recorded" => "登记培训出勤与结果",
        // Candidate self-service (issue 12): a candidate's own account, and the applications to a session.
        CandidateRegistered = "user.candidate_registered" => "考生注册账号",
        ExamSessionApplicationsOpened = "exam_session.applications_opened" => "开放或关闭网上报名",
        ExamApplicationSubmitted = "exam_session.application_submitted" => "考生网上报名",
        ExamApplicationWithdrawn = "exam_session.application_withdrawn" => "考生撤回报名",
        ExamApplicationConfirmed = "exam_session.application_confirmed" => "确认考生报名（列入考生名单）",
        ExamApplicationDeclined = "exam_session.application_declined" => "不予确认考生报名",
        // Admission tickets (issue 12 part 2): numbered at the plan's approval; a candidate's photo.
        ExamTicketsIssued = "exam_session.tickets_issued" => "生成准考证号",
        ExamCandidatePhotoUploaded = "exam_session.candidate_photo_uploaded" => "上传考生照片",
        // E5, E6: scores and the score register.
        ExamScoreEntered = "exam_session.score_entered" => "登记考生成绩",
        ExamRegisterSubmitted = "exam_session.register_submitted" => "提交成绩登分册",
        ExamRegisterConfirmed = "exam_session.register_confirmed" => "审核确认成绩登分册",
        ExamRegisterReturned = "exam_session.register_returned" => "退回成绩登分册",
        ExamRegisterCorrected = "exam_session.register_corrected" => "更正已确认的成绩（新版本）",
        // The exam panel (E4).
        ExamSessionPanelAppointed = "exam_session.panel_appointed" => "委派考评组",
        // E5: the panel's reports.
        ExamAssessorReportFiled = "exam_session.assessor_report_filed" => "填写考评情况报告（考评组长）",
        ExamAssessorReportSigned = "exam_session.assessor_report_signed" => "签署考评情况报告（考评员）",
        ExamSupervisionReportFiled = "exam_session.supervision_report_filed" => "填写督导报告（督导员）",
        // E7: the session's materials archived and, once their retention ended, disposed of.
        ExamMaterialArchived = "exam_session.material_archived" => "归档考核材料",
        ExamMaterialDisposed = "exam_session.material_disposed" => "销毁到期考核材料",
        // F1: a candidate's fee and the city center's remittances to the treasury (收支两条线).
        FeePaid = "fee.paid" => "登记考生缴费",
        FeeWaived = "fee.waived" => "减免考生考核费",
        FeeRefunded = "fee.refunded" => "考生考核费退费",
        FeeRemittanceRecorded = "fee_remittance.recorded" => "登记考核费上缴财政",
        // C1: blank certificate stock and issued certificates.
        CertificateStockBatchRecorded = "certificate_stock.batch_recorded" => "登记空白证书入库批次",
        CertificateStockBlankVoided = "certificate_stock.blank_voided" => "作废空白证书",
        CertificateIssued = "certificate.issued" => "核发证书",
        CertificateRevoked = "certificate.revoked" => "注销证书",
        CertificateReissued = "certificate.reissued" => "补发证书",
        // C1, C2: certificate data reported to the province in batches, and the batch's export.
        CertificateReportRecorded = "certificate_report.recorded" => "向省鉴定中心上报证书数据",
        CertificateReportExported = "certificate_report.exported" => "导出证书上报数据",
        // F3: the certificate subsidy, claimed in batches per city center and period.
        SubsidyBatchBuilt = "subsidy.batch_built" => "生成取证补贴申领批次",
        SubsidyClaimApproved = "subsidy.claim_approved" => "审核通过取证补贴申领",
        SubsidyClaimRejected = "subsidy.claim_rejected" => "取证补贴申领不予补贴",
        SubsidyBatchApproved = "subsidy.batch_approved" => "审核通过取证补贴批次",
        SubsidyBatchPaid = "subsidy.batch_paid" => "登记取证补贴发放",
        SubsidyBatchExported = "subsidy.batch_exported" => "导出取证补贴发放清单",
        // C1: the province's overlay printing (套打) templates.
        CertificateLayoutSaved = "certificate_layout.saved" => "保存证书套打模板",
    }
}

string_enum! {
    /// What an audit record is about ([`AuditEntry::target_kind`]); the target id names the record.
    AuditTarget {
        User = "user" => "用户",
        Org = "org" => "机构",
        Policy = "policy" => "政策参数",
        Calendar = "calendar" => "工作日历",
        Expert = "expert" => "专家",
        Draw = "draw" => "专家抽取",
        Filing = "filing" => "考核站备案申请",
        /// An assessment project (P1–P8, F2), developed or adopted: the target id is the project's id.
        Project = "project" => "考核项目",
        /// A request refused by the authorization check: the target id is `METHOD /path`.
        Route = "route" => "访问路径",
        // The question bank (P2, P6, E2).
        QuestionItem = "question_item" => "试题",
        Paper = "paper" => "试卷",
        /// An exam session (E1, E3) and its candidates: the target id is the session's id.
        ExamSession = "exam_session" => "考核计划",
        /// A registered assessor, supervisor or trainer (E8–E10); `batch` for an import.
        Registry = "registry" => "考评人员",
        /// A training course of the province (E8–E10).
        Training = "training" => "培训班",
        /// F1: a candidate's fee: the target id is the exam candidate's id.
        Fee = "fee" => "考核收费",
        /// F1: a city center's remittance to the treasury: the target id is the remittance's id.
        FeeRemittance = "fee_remittance" => "考核费上缴财政",
        /// A city center's blank certificate stock (C1): the target id is the batch's id.
        CertificateStock = "certificate_stock" => "空白证书",
        /// An issued certificate (C1): the target id is the certificate's id.
        Certificate = "certificate" => "证书",
        /// A batch of certificates reported to the province (C1): the target id is the batch's id.
        CertificateReport = "certificate_report" => "证书上报",
        /// The certificate subsidy (F3): the target id is the batch's id.
        Subsidy = "subsidy" => "取证补贴",
        /// An overlay printing template (C1): the target id is the layout's id.
        CertificateLayout = "certificate_layout" => "证书套打模板",
    }
}

string_enum! {
    /// What in-process caches depend on (issue 10): each is a number in the database (table
    /// `generations`) that the audit writer bumps in the same transaction as a change of its kind
    /// ([`AuditAction::changes`]), so every instance sees the change at its next request.
    Generation {
        /// Who a signed-in caller is: accounts, roles, scopes, organisations.
        Accounts = "accounts" => "账号、角色与机构",
        /// Versioned policy (V1).
        Policy = "policy" => "政策参数",
        /// The working-day calendar.
        Calendar = "calendar" => "工作日历",
        /// What the public pages show: the station directory, the catalog, public draws.
        Public = "public" => "公开信息",
        /// The staff lists of station filings (S1–S5): every filing step changes what they show.
        Filings = "filings" => "考核站备案申请",
        /// The staff lists of assessment projects (P1–P8): every project step changes what they show.
        Projects = "projects" => "考核项目",
    }
}

impl AuditAction {
    /// The kind of record every action of this kind is about: sign-ins and account changes concern the
    /// user, a refusal the route, the reminder to enter next year's holidays the calendar.
    pub fn target(self) -> AuditTarget {
        use AuditAction::*;
        match self {
            AuthPasswordOk
            | AuthLoginFailed
            | AuthLoginRefusedLocked
            | AuthLoginRefusedDisabled
            | AuthAccountLocked
            | AuthFailureCeiling
            | AuthSecondFactorOk
            | AuthSecondFactorFailed
            | AuthSessionStarted
            | AuthLogout
            | AuthTokenIssued
            | AuthTokenRevoked
            | UserCreated
            | UserUpdated
            | UserPasswordChanged
            | UserPasswordReset
            | UserUnlocked
            | UserTotpEnrolled
            | UserTotpReset
            | UserIdNumberRevealed => AuditTarget::User,
            AuthzDenied => AuditTarget::Route,
            OrgCreated | OrgUpdated => AuditTarget::Org,
            PolicyVersionAdded => AuditTarget::Policy,
            CalendarYearSet | WorkflowReminderCreated => AuditTarget::Calendar,
            ExpertCreated | ExpertUpdated | ExpertImported | ExpertConflictDeclared | ExpertPastEmploymentAdded => {
                AuditTarget::Expert
            }
            DrawCommitted | DrawDrawn | DrawDeclined | DrawRevealed | DrawNamesViewed => AuditTarget::Draw,
            FilingCreated
            | FilingUpdated
            | FilingAttachmentAdded
            | FilingAttachmentRemoved
            | FilingSubmitted
            | FilingReturned
            | FilingAccepted
            | FilingPlanSubmitted
            | FilingPlanApproved
            | FilingPlanReturned
            | FilingGroupDrawn
            | FilingEvaluationStarted
            | FilingFindingsRecorded
            | FilingEvaluationCompleted
            | FilingDecided
            | FilingSuspended
            | FilingReinstated
            | FilingRevoked => AuditTarget::Filing,
            QuestionItemCreated
            | QuestionItemRevised
            | QuestionItemSubmitted
            | QuestionItemApproved
            | QuestionItemReturned
            | QuestionItemRetired
            | QuestionItemViewed
            | QuestionItemExported
            | QuestionItemImported => AuditTarget::QuestionItem,
            PaperAssembled
            | PaperViewed
            | PaperPrinted
            | PaperReleaseRequested
            | PaperReleaseApproved
            | PaperCustodyRecorded
            | PaperBlueprintSaved
            | PaperSeedRevealed => AuditTarget::Paper,
            ProjectCreated
            | ProjectUpdated
            | ProjectAttachmentAdded
            | ProjectAttachmentRemoved
            | ProjectSubmitted
            | ProjectCityReturned
            | ProjectForwarded
            | ProjectProvinceReturned
            | ProjectReviewDrawn
            | ProjectReviewOpened
            | ProjectOpinionFiled
            | ProjectReviewCompleted
            | ProjectEstablished
            | ProjectRejected
            | ProjectPublished
            | ProjectRolledOut
            | ProjectStopped
            | ProjectAdoptionRecorded
            | ProjectAdoptionApproved
            | ProjectAdoptionRejected
            | ProjectMaterialAdded
            | ProjectMaterialRemoved
            | ProjectMaterialFileAttached => AuditTarget::Project,
            ExamSessionCreated
            | ExamSessionUpdated
            | ExamSessionSubmitted
            | ExamSessionApproved
            | ExamSessionReturned
            | ExamSessionCancelled
            | ExamSessionCandidateAdded
            | ExamSessionCandidateRemoved
            | ExamSessionRosterImported
            | ExamSessionRosterExported
            | ExamSessionApplicationsOpened
            | ExamApplicationSubmitted
            | ExamApplicationWithdrawn
            | ExamApplicationConfirmed
            | ExamApplicationDeclined
            | ExamTicketsIssued
            | ExamCandidatePhotoUploaded
            | ExamScoreEntered
            | ExamRegisterSubmitted
            | ExamRegisterConfirmed
            | ExamRegisterReturned
            | ExamRegisterCorrected
            | ExamSessionPanelAppointed
            | ExamAssessorReportFiled
            | ExamAssessorReportSigned
            | ExamSupervisionReportFiled
            | ExamMaterialArchived
            | ExamMaterialDisposed => AuditTarget::ExamSession,
            CandidateRegistered => AuditTarget::User,
            RegistryPersonCreated
            | RegistryPersonUpdated
            | RegistryImported
            | RegistryStatusChanged
            | RegistryRelativeDeclared
            | RegistryPastEmploymentAdded
            | RegistryAccountLinked => AuditTarget::Registry,
            TrainingCourseCreated | TrainingEnrolled | TrainingResultRecorded => AuditTarget::Training,
            FeePaid | FeeWaived | FeeRefunded => AuditTarget::Fee,
            FeeRemittanceRecorded => AuditTarget::FeeRemittance,
            CertificateStockBatchRecorded | CertificateStockBlankVoided => AuditTarget::CertificateStock,
            CertificateIssued | CertificateRevoked | CertificateReissued => AuditTarget::Certificate,
            CertificateReportRecorded | CertificateReportExported => AuditTarget::CertificateReport,
            SubsidyBatchBuilt | SubsidyClaimApproved | SubsidyClaimRejected | SubsidyBatchApproved
            | SubsidyBatchPaid | SubsidyBatchExported => AuditTarget::Subsidy,
            CertificateLayoutSaved => AuditTarget::CertificateLayout,
        }
    }
}

impl AuditAction {
    /// The cached facts this action changes (issue 10). Sign-ins, sessions, refusals, views and reminders
    /// change none, so a storm of them leaves every cache warm; every other action makes stale what its
    /// kind of record feeds — so a new action of a cached kind invalidates by default.
    pub fn changes(self) -> &'static [Generation] {
        use AuditAction::*;
        use Generation::*;
        // Sign-ins and sessions are the `auth.` actions (ids never change: they are hashed into the chain).
        if self.id().starts_with("auth.") {
            return &[];
        }
        match self {
            AuthzDenied
            | UserIdNumberRevealed
            | UserUnlocked
            | UserPasswordChanged
            | WorkflowReminderCreated
            | DrawNamesViewed
            | CertificateReportExported => &[],
            // C2: what a reported certificate answers publicly (the query, the verification page) changes
            // when it is reported, revoked or reissued; issuing alone shows nothing publicly.
            CertificateReportRecorded | CertificateRevoked | CertificateReissued => &[Public],
            // A project is public only once published (P8, F2): every step before publication — the
            // application, its files, the review, the decision, a pending adoption — changes only the
            // staff lists of projects. Publication, roll-out, stop, an approved adoption and the training
            // materials (listed on the public page) change the public pages too.
            ProjectCreated
            | ProjectUpdated
            | ProjectAttachmentAdded
            | ProjectAttachmentRemoved
            | ProjectSubmitted
            | ProjectCityReturned
            | ProjectForwarded
            | ProjectProvinceReturned
            | ProjectReviewDrawn
            | ProjectReviewOpened
            | ProjectOpinionFiled
            | ProjectReviewCompleted
            | ProjectEstablished
            | ProjectRejected
            | ProjectAdoptionRecorded
            | ProjectAdoptionRejected => &[Projects],
            _ => match self.target() {
                AuditTarget::User => &[Accounts],
                // A station's name and address are in the public directory too, a development unit's
                // name in the staff lists of projects.
                AuditTarget::Org => &[Accounts, Public, Projects],
                AuditTarget::Policy => &[Policy],
                AuditTarget::Calendar => &[Calendar],
                AuditTarget::Draw => &[Public],
                AuditTarget::Filing => &[Filings, Public],
                AuditTarget::Project => &[Projects, Public],
                // The registries are staff-only and read fresh: no cache, no public page.
                AuditTarget::Expert | AuditTarget::Route | AuditTarget::Registry | AuditTarget::Training => &[],
                // Items and papers are confidential: no cache and no public page shows them.
                AuditTarget::QuestionItem | AuditTarget::Paper => &[],
                // Exam sessions are read uncached by staff only (no public page shows them yet).
                AuditTarget::ExamSession => &[],
                // Fees and remittances are read uncached by the centers' staff only.
                AuditTarget::Fee | AuditTarget::FeeRemittance => &[],
                // Blank stock and certificates are read uncached by staff; the acts that change what the
                // public sees of a reported certificate are listed above.
                AuditTarget::CertificateStock | AuditTarget::Certificate | AuditTarget::CertificateReport => &[],
                // Subsidy batches are read uncached by the centers' staff only.
                AuditTarget::Subsidy => &[],
                // Overlay layouts are read uncached by the province only.
                AuditTarget::CertificateLayout => &[],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audit_action_has_a_dotted_id_a_chinese_label_and_one_target() {
        assert_eq!(AuditAction::ALL.len(), 151);
        for a in AuditAction::ALL {
            let (area, what) = a.id().split_once('.').expect("dotted");
            assert!(!area.is_empty() && !what.is_empty() && !what.contains('.'), "{a}");
            assert!(a.id().bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'), "{a}");
            assert!(!a.label().is_ascii(), "{a}");
            assert_eq!(a.id().parse::<AuditAction>(), Ok(*a));
            // The target follows the area, except where the action is about something else.
            let target = match area {
                "auth" | "user" => AuditTarget::User,
                "authz" => AuditTarget::Route,
                "workflow" => AuditTarget::Calendar,
                other => AuditTarget::parse(other).expect("an area named after its target"),
            };
            assert_eq!(a.target(), target, "{a}");
        }
        let mut labels: Vec<&str> = AuditAction::ALL.iter().map(|a| a.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), AuditAction::ALL.len(), "every label tells its action apart");
        assert_eq!(AuditAction::AuthzDenied.id(), "authz.denied");
        assert_eq!(AuditAction::FilingSubmitted.label(), "提交备案申请");
        assert!("auth.login".parse::<AuditAction>().is_err());
        for t in AuditTarget::ALL {
            assert!(!t.label().is_ascii(), "{t}");
        }
    }

    /// Issue 10: what each action makes stale in the caches — nothing for sign-ins and views (a storm of
    /// them keeps the caches warm), the kind its record feeds for the rest.
    #[test]
    fn each_action_names_the_caches_it_makes_stale() {
        use Generation::*;
        for a in AuditAction::ALL.iter().filter(|a| a.id().starts_with("auth")) {
            assert_eq!(a.changes(), &[] as &[Generation], "{a}");
        }
        assert_eq!(AuditAction::DrawNamesViewed.changes(), &[] as &[Generation]);
        assert_eq!(AuditAction::UserUpdated.changes(), &[Accounts]);
        assert_eq!(AuditAction::OrgUpdated.changes(), &[Accounts, Public, Projects]);
        assert_eq!(AuditAction::PolicyVersionAdded.changes(), &[Policy]);
        assert_eq!(AuditAction::CalendarYearSet.changes(), &[Calendar]);
        for a in AuditAction::ALL.iter().filter(|a| a.target() == AuditTarget::Filing) {
            assert_eq!(a.changes(), &[Filings, Public], "{a}: the staff lists, the directory and the catalog");
        }
        assert_eq!(AuditAction::DrawRevealed.changes(), &[Public], "the public draw page shows the seed once open");
        for a in AuditAction::ALL.iter().filter(|a| matches!(a.target(), AuditTarget::Registry | AuditTarget::Training))
        {
            assert_eq!(a.changes(), &[] as &[Generation], "{a}: the registries are never cached");
        }
        for a in
            AuditAction::ALL.iter().filter(|a| matches!(a.target(), AuditTarget::QuestionItem | AuditTarget::Paper))
        {
            assert_eq!(a.changes(), &[] as &[Generation], "{a}: the question bank is confidential, never cached");
        }
        // P8, F2: only what changes the public catalog makes it stale.
        let public: Vec<&str> = AuditAction::ALL
            .iter()
            .filter(|a| a.target() == AuditTarget::Project && a.changes() == [Projects, Public])
            .map(|a| a.id())
            .collect();
        assert_eq!(
            public,
            [
                "project.published",
                "project.rolled_out",
                "project.stopped",
                "project.adoption_approved",
                "project.material_added",
                "project.material_removed",
                "project.material_file_attached"
            ]
        );
        for a in AuditAction::ALL.iter().filter(|a| a.target() == AuditTarget::Project && !public.contains(&a.id())) {
            assert_eq!(a.changes(), &[Projects], "{a}: only the staff lists before publication");
        }
    }
}
