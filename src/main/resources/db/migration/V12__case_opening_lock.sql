-- Issue 14: one case per person across bus nodes. Choosing a referral's case (find the person's case, else open one,
-- and store the encodings that let the next referral find it) runs under a lock on this single row
-- (dedupe/CaseOpeningLock, SELECT ... FOR UPDATE), so two referrals of the same person arriving at the same instant on
-- two nodes cannot both find nothing and open two cases. Nothing about any person is stored here.
CREATE TABLE case_opening_lock (
    id INT PRIMARY KEY
);
INSERT INTO case_opening_lock (id) VALUES (1);
