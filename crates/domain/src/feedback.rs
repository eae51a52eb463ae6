//! The course feedback questionnaire (課程意見回饋問卷, seed 002 附件十二 四): nine questions
//! scored 1 to 5, answered online once per attendee or entered from paper as counts per score,
//! and the summary report of the seed (total, count and average per question, grand total,
//! overall average).

/// The nine questions, as the seed's report prints them.
pub const QUESTIONS: [&str; 9] = [
    "本研習課程目標明確清楚，有助於教師專業成長。",
    "本研習課程內容充實完整，有助於日後個人教育工作實施之參考。",
    "教師授課方式靈活生動，能充分引起學習動機。",
    "教師授課時講解清晰，選材合宜適中深入淺出。",
    "對於個人參與本研習課程的學習態度評量。",
    "對於辦理研習單位行政支援配合度的情形。",
    "本研習課程的日期時間安排適宜度。",
    "對於研習場地硬體設備之齊全度。",
    "如果本研習課程繼續開辦，您會推薦同事或朋友報名參加嗎？",
];

/// One online answer: a score of 1 to 5 for each question.
pub type Answers = [u8; 9];

/// Paper questionnaires as counts: `counts[question][score - 1]`.
pub type PaperCounts = [[u32; 5]; 9];

/// Checks an answer sheet: nine scores, each 1 to 5; returns the first bad question (1-based).
pub fn check_answers(scores: &[u8]) -> Result<Answers, usize> {
    if scores.len() != QUESTIONS.len() {
        return Err(scores.len().min(QUESTIONS.len()) + 1);
    }
    let mut answers = [0; 9];
    for (index, score) in scores.iter().enumerate() {
        if !(1..=5).contains(score) {
            return Err(index + 1);
        }
        answers[index] = *score;
    }
    Ok(answers)
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub number: usize,
    pub question: &'static str,
    pub total: u32,
    pub count: u32,
    pub average: f64,
}

/// The report of a course.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub questions: Vec<QuestionSummary>,
    /// 總計: the sum of every question's total.
    pub total: u32,
    /// 總平均: the mean of the questions' averages (of those answered).
    pub average: f64,
    /// Sheets answered online and on paper.
    pub respondents: u32,
}

/// Adds online answers and paper counts into the report.
pub fn summarize(online: &[Answers], paper: Option<&PaperCounts>) -> Summary {
    let questions: Vec<QuestionSummary> = QUESTIONS
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let mut total: u32 = online.iter().map(|a| u32::from(a[index])).sum();
            let mut count = online.len() as u32;
            if let Some(paper) = paper {
                for (score, n) in paper[index].iter().enumerate() {
                    total += (score as u32 + 1) * n;
                    count += n;
                }
            }
            QuestionSummary {
                number: index + 1,
                question,
                total,
                count,
                average: if count == 0 {
                    0.0
                } else {
                    f64::from(total) / f64::from(count)
                },
            }
        })
        .collect();
    let answered: Vec<&QuestionSummary> = questions.iter().filter(|q| q.count > 0).collect();
    let average = if answered.is_empty() {
        0.0
    } else {
        answered.iter().map(|q| q.average).sum::<f64>() / answered.len() as f64
    };
    let paper_sheets = paper.map_or(0, |p| p[0].iter().sum::<u32>());
    Summary {
        total: questions.iter().map(|q| q.total).sum(),
        respondents: online.len() as u32 + paper_sheets,
        questions,
        average,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_report_ten_perfect_sheets_total_450_average_5() {
        let online = vec![[5; 9]; 10];
        let summary = summarize(&online, None);
        assert_eq!(summary.questions[0].total, 50);
        assert_eq!(summary.questions[0].count, 10);
        assert_eq!(summary.questions[8].average, 5.0);
        assert_eq!(summary.total, 450);
        assert_eq!(summary.average, 5.0);
        assert_eq!(summary.respondents, 10);
    }

    #[test]
    fn paper_counts_add_to_the_online_answers() {
        let online = vec![[4; 9]];
        let mut paper: PaperCounts = [[0; 5]; 9];
        for q in &mut paper {
            q[2] = 1; // one sheet scoring 3
            q[4] = 2; // two sheets scoring 5
        }
        let summary = summarize(&online, Some(&paper));
        assert_eq!(summary.questions[3].total, 4 + 3 + 10);
        assert_eq!(summary.questions[3].count, 4);
        assert_eq!(summary.questions[3].average, 4.25);
        assert_eq!(summary.respondents, 4);
    }

    #[test]
    fn nothing_answered_is_a_report_of_zeros() {
        let summary = summarize(&[], None);
        assert_eq!(
            (summary.total, summary.average, summary.respondents),
            (0, 0.0, 0)
        );
    }

    #[test]
    fn answer_sheets_need_nine_scores_from_one_to_five() {
        assert_eq!(check_answers(&[5; 9]), Ok([5; 9]));
        assert_eq!(check_answers(&[5, 5, 0, 5, 5, 5, 5, 5, 5]), Err(3));
        assert_eq!(check_answers(&[5; 8]), Err(9));
        assert_eq!(check_answers(&[6; 9]), Err(1));
    }
}
