"""One question bank per topic, named after it (grader/quizzes/TOPIC.py defines
QUESTIONS, a list of grader.quiz.bank questions). Adding a question edits only its bank.

May import: grader.quiz (the bank model), grader.course.
"""
