import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxState } from '../../state';
import { IdSequence, opsError, readBody } from './http';

/** The courses the learning platform offers. */
export const COURSES = [
  { id: 'security-awareness', title: 'Security awareness 101', days: 14 },
  { id: 'code-of-conduct', title: 'Code of conduct', days: 7 },
  { id: 'gdpr-basics', title: 'GDPR basics', days: 30 },
  { id: 'engineering-onboarding', title: 'Engineering onboarding', days: 30 },
  { id: 'sales-onboarding', title: 'Sales onboarding', days: 30 },
] as const;

const enrollInput = z.strictObject({
  userId: z.union([z.string().min(1), z.number().int()]).transform(String),
  email: z.email().optional(),
  courseIds: z.array(z.string().min(1)).min(1),
});

interface Enrollment {
  id: string;
  userId: string;
  email?: string;
  courseId: string;
  title: string;
  status: 'enrolled';
  enrolledAt: string;
  dueDate: string;
}

/**
 * Training: `POST /lms/enrollments` enrols a learner in courses (an
 * existing enrolment is returned as is, so the call is safe to repeat; 201
 * when something new was created, else 200), `GET /lms/enrollments[?userId=]`,
 * `GET /lms/courses`.
 */
export function lmsApi(state: SandboxState) {
  const enrollments: Enrollment[] = [];
  const ids = new IdSequence('ENR');
  const app = new Hono();

  app.get('/courses', (c) => c.json({ courses: COURSES }));

  app.post('/enrollments', async (c) => {
    const body = await readBody(c, enrollInput);
    if ('answer' in body) return body.answer;
    const { userId, email, courseIds } = body.data;
    const unknown = courseIds.filter((id) => !COURSES.some((course) => course.id === id));
    if (unknown.length > 0) {
      return opsError(c, 422, 'course_not_found', `No course ${unknown.map((id) => `"${id}"`).join(', ')}`);
    }
    let created = 0;
    const result = [...new Set(courseIds)].map((courseId) => {
      const existing = enrollments.find((e) => e.userId === userId && e.courseId === courseId);
      if (existing) return existing;
      const course = COURSES.find((x) => x.id === courseId)!;
      const now = new Date();
      const enrollment: Enrollment = {
        id: ids.take(),
        userId,
        ...(email ? { email } : {}),
        courseId,
        title: course.title,
        status: 'enrolled',
        enrolledAt: now.toISOString(),
        dueDate: new Date(now.getTime() + course.days * 86_400_000).toISOString().slice(0, 10),
      };
      enrollments.push(enrollment);
      created += 1;
      state.effect('ops', 'enrollment.created', enrollment.id, { userId, courseId });
      return enrollment;
    });
    return c.json({ userId, enrollments: result }, created > 0 ? 201 : 200);
  });

  app.get('/enrollments', (c) => {
    const userId = c.req.query('userId');
    return c.json({ enrollments: enrollments.filter((e) => !userId || e.userId === userId) });
  });

  return {
    app,
    reset() {
      enrollments.length = 0;
      ids.reset();
    },
  };
}
