{{/*
The employer of each employee with a case open on the extract date: the
employees whose tracks can be open, so that the tracks of several
employers can be told apart (DeadlinesByEmployer).
*/ -}}
SELECT DISTINCT k.pseudonym, c.employer_id FROM absence_cases c JOIN employees k USING (employee_key)
WHERE first_sick_day <= $extract_date::DATE AND (recovery_date IS NULL OR recovery_date > $extract_date::DATE)
