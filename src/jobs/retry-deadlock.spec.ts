import { retryOnDeadlock } from './retry-deadlock';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
const noPause = () => Promise.resolve();

describe('retryOnDeadlock', () => {
  it('runs the work again after a deadlock and returns its result', async () => {
    const work = jest.fn().mockRejectedValueOnce(deadlock()).mockResolvedValueOnce('declared');
    await expect(retryOnDeadlock(work, { pause: noPause })).resolves.toBe('declared');
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('gives up after the last attempt with the deadlock error', async () => {
    const work = jest.fn().mockRejectedValue(deadlock());
    await expect(retryOnDeadlock(work, { attempts: 3, pause: noPause })).rejects.toThrow('deadlock detected');
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('does not retry any other error', async () => {
    const work = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('permission denied'), { code: '42501' }));
    await expect(retryOnDeadlock(work, { pause: noPause })).rejects.toThrow('permission denied');
    expect(work).toHaveBeenCalledTimes(1);
  });
});
