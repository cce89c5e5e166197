import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemTypes } from '../errors/problem-types';
import { ProblemDto } from './problem.dto';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

function describe(status: number): string {
  return Object.values(ProblemTypes)
    .filter((problem) => problem.status === status)
    .map((problem) => `\`${problem.type}\`: ${problem.description}`)
    .join('\n\n');
}

/** Documents the problem+json error responses an operation can give, by status code. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: describe(status),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
